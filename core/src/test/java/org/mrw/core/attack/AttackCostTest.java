package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Models;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;
import org.mrw.core.testing.TestModels;

/** The counted cost of each attack against the passes it really makes on the tiny model (5 images). */
class AttackCostTest {

    private static GradientClassifier model;
    private static ImageBatch clean;

    @BeforeAll
    static void load() {
        model = Models.loadDifferentiable(TestModels.path("tiny_cnn.pt"), null, null);
        clean = BlackBoxFixture.images(5);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest(name = "{0} steps={1} ε×{2}")
    @CsvSource({
            "fgsm, , 3",
            "bim, 3, 2",
            "pgd, 4, 3",
            "deepfool, 5, 2",
            "cw, 4, 2",
            "boundary, 20, 2",
            "hopskipjump, 3, 2",
            "square, 30, 2",
    })
    void theCountedPassesMatchOrBoundWhatTheAttackDoes(String name, Integer steps, int epsilons) {
        AttackSettings settings = new AttackSettings(null, steps, null, null, name.equals("boundary") ? 1 : null);
        double[] eps = new double[epsilons];
        for (int e = 0; e < epsilons; e++) {
            eps[e] = name.equals("boundary") || name.equals("hopskipjump") || name.equals("cw") || name.equals("deepfool")
                    ? 0.5 * (e + 1) : (e + 1) * 2 / 255.0;
        }
        Attack attack = Attacks.create(name, settings);
        CountingClassifier counting = new CountingClassifier(model);
        attack.generate(counting, clean, Goal.untargeted(clean.labels()), eps, new AttackContext(7, Cancellation.NONE, Progress.NONE));
        AttackCost cost = AttackCost.of(name, settings, epsilons, model.numClasses(), clean.imageSize());
        int n = clean.size();
        double gradients = counting.gradientImages() / (double) n;
        double queries = counting.images() / (double) n;
        switch (cost.bound()) {
            case EXACT -> {
                assertThat(gradients).as("gradients per image").isEqualTo(cost.gradients());
                assertThat(queries).as("queries per image").isEqualTo(cost.queries());
            }
            case AT_MOST -> {
                assertThat(gradients).as("gradients per image").isLessThanOrEqualTo(cost.gradients());
                assertThat(queries).as("queries per image").isLessThanOrEqualTo(cost.queries());
                assertThat(gradients + queries).as("not a wild overestimate").isGreaterThan(0);
            }
            case ABOUT -> {
                assertThat(gradients).isZero();
                assertThat(queries).as("queries per image, counted %s", cost.queries())
                        .isBetween(0.6 * cost.queries(), 1.4 * cost.queries());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void hopSkipJumpWithItsDefaultsCostsTheDocumentedEighteenThousandQueries() {
        AttackCost cost = AttackCost.of("hopskipjump", AttackSettings.DEFAULTS, 1, 10, 784);
        assertThat(cost.queries()).isBetween(17_000.0, 19_000.0);
        assertThat(AttackCost.of("boundary", AttackSettings.DEFAULTS, 1, 10, 784).queries()).isBetween(10_000.0, 10_200.0);
        assertThat(AttackCost.of("fgsm", AttackSettings.DEFAULTS, 8, 10, 784).gradients()).isEqualTo(1);
        assertThat(AttackCost.of("bim", AttackSettings.DEFAULTS, 4, 10, 784).formula()).isEqualTo("10 steps × 4 ε (the sweep runs stacked)");
    }
}
