package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.testing.TestModels;

/** Boundary and HopSkipJump: minimal perturbations that shrink with more steps, untargeted and targeted. */
class DecisionBasedAttacksTest {

    private static final double[] EPSILONS = {0.5, 1, 2, 4, 100};

    private static Classifier onnx;
    private static Classifier int8;
    private static ImageBatch images;

    @BeforeAll
    static void load() {
        onnx = Models.load(TestModels.path("tiny_cnn.onnx"), null);
        int8 = Models.load(TestModels.path("tiny_cnn_int8.pt"), null);
        images = BlackBoxFixture.images(10);
    }

    @AfterAll
    static void close() {
        onnx.close();
        int8.close();
    }

    @Test
    void boundaryMedianL2FallsFrom50To500StepsOnTheFloatModel() {
        Goal goal = Goal.untargeted(images.labels());
        double few = medianL2(new BoundaryAttack(50, 5), onnx, goal);
        double many = medianL2(new BoundaryAttack(500, 5), onnx, goal);
        assertThat(many).isLessThan(few * 0.8);
    }

    @Test
    void hopSkipJumpMedianL2FallsFrom2To15IterationsOnTheFloatModel() {
        Goal goal = Goal.untargeted(images.labels());
        double few = medianL2(new HopSkipJump(2, 100, 10_000), onnx, goal);
        double many = medianL2(new HopSkipJump(15, 100, 10_000), onnx, goal);
        assertThat(many).isLessThan(few * 0.8);
    }

    @Test
    void boundaryReachesTargetsWhereNoiseOfTheTargetClassExists() {
        checkTargeted(new BoundaryAttack(100, 5));
    }

    @Test
    void hopSkipJumpReachesTargetsWhereNoiseOfTheTargetClassExists() {
        checkTargeted(new HopSkipJump(5, 50, 10_000));
    }

    /** Targets not reachable from noise are reported as not found (+∞), never as successes. */
    private static void checkTargeted(Attack attack) {
        Goal goal = Goal.shifted(images.labels(), 1, 10);
        Adversarials adv = attack.generate(onnx, images, goal, EPSILONS, AttackContext.seeded(5));
        BlackBoxFixture.checkAndCountSuccesses(attack, onnx, images, goal, EPSILONS, adv);
        assertThat(BlackBoxFixture.finiteCount(adv.minimal())).isGreaterThan(0);
        int[] predicted = onnx.predict(images.withPixels(adv.pixels()[EPSILONS.length - 1]));
        for (int i = 0; i < images.size(); i++) {
            if (Double.isFinite(adv.minimal()[i])) {
                assertThat(predicted[i]).as("image %d", i).isEqualTo(goal.targets()[i]);
            }
        }
    }

    private static double medianL2(Attack attack, Classifier model, Goal goal) {
        Adversarials adv = attack.generate(model, images, goal, EPSILONS, AttackContext.seeded(11));
        BlackBoxFixture.checkAndCountSuccesses(attack, model, images, goal, EPSILONS, adv);
        assertThat(BlackBoxFixture.finiteCount(adv.minimal())).as("images with an adversarial").isEqualTo(images.size());
        double median = BlackBoxFixture.medianFinite(adv.minimal());
        return median;
    }
}
