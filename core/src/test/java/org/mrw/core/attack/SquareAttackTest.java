package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.testing.TestModels;

/** Square Attack: success grows with ε, untargeted and targeted; the p schedule follows the paper. */
class SquareAttackTest {

    private static final double[] EPSILONS = {0, 0.01, 0.03, 0.1, 0.3};

    private static Classifier onnx;
    private static ImageBatch images;

    @BeforeAll
    static void load() {
        onnx = Models.load(TestModels.path("tiny_cnn.onnx"), null);
        images = BlackBoxFixture.images(30);
    }

    @AfterAll
    static void close() {
        onnx.close();
    }

    @Test
    void untargetedSuccessRisesWithEpsilon() {
        checkRising(Goal.untargeted(images.labels()));
    }

    @Test
    void targetedSuccessRisesWithEpsilon() {
        checkRising(Goal.shifted(images.labels(), 1, 10));
    }

    private static void checkRising(Goal goal) {
        Attack attack = new SquareAttack(300, 0.05);
        Adversarials adv = attack.generate(onnx, images, goal, EPSILONS, AttackContext.seeded(3));
        int[] successes = BlackBoxFixture.checkAndCountSuccesses(attack, onnx, images, goal, EPSILONS, adv);
        for (int e = 1; e < EPSILONS.length; e++) {
            assertThat(successes[e]).as("successes at ε %s", EPSILONS[e]).isGreaterThanOrEqualTo(successes[e - 1]);
        }
        assertThat(successes[EPSILONS.length - 1]).isGreaterThan(successes[0] + images.size() / 3);
    }

    @Test
    void squareSizeFollowsThePapersScheduleRescaledToTheBudget() {
        assertThat(SquareAttack.pFraction(0.05, 1, 10_000)).isEqualTo(0.05);
        assertThat(SquareAttack.pFraction(0.05, 11, 10_000)).isEqualTo(0.025);
        assertThat(SquareAttack.pFraction(0.05, 51, 10_000)).isEqualTo(0.0125);
        assertThat(SquareAttack.pFraction(0.05, 9_000, 10_000)).isEqualTo(0.05 / 512);
        assertThat(SquareAttack.pFraction(0.05, 100, 1000)).isEqualTo(0.05 / 16);
        assertThat(SquareAttack.squareSide(0.05, 28, 28)).isEqualTo(6);
        assertThat(SquareAttack.squareSide(1e-6, 28, 28)).isEqualTo(1);
        assertThat(SquareAttack.squareSide(1.0, 28, 28)).isEqualTo(27);
    }
}
