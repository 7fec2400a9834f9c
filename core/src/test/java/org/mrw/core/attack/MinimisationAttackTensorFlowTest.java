package org.mrw.core.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Models;
import org.mrw.core.model.tensorflow.TinySavedModels;

/**
 * The same attacks through TensorFlow's {@code logitGradient}, on a tiny SavedModel with seeded random
 * weights: its own predictions serve as labels, so every clean image starts correctly classified.
 */
class MinimisationAttackTensorFlowTest {

    private static final int IMAGES = 10;
    private static final double[] L2_BUDGETS = {0.5, 5, 20};

    @TempDir
    static Path temp;

    private static GradientClassifier model;
    private static ImageBatch clean;

    @BeforeAll
    static void load() {
        model = Models.loadDifferentiable(TinySavedModels.fashionCnn(temp.resolve("fashion")), null);
        ImageBatch images = Datasets.fashionMnistTest().batch(0, IMAGES);
        clean = new ImageBatch(images.pixels(), model.predict(images), images.channels(), images.height(), images.width());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<Arguments> attacks() {
        return Stream.of(new DeepFool(Norm.L2, 50, 0.02, DeepFool.ALL_CLASSES), new CarliniWagner(2, 50, 10, 0, 0.05))
                .map(a -> Arguments.of(Named.of(a.describe(), a)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void findsMinimalAdversarialsThroughTensorFlowGradients(Attack attack) {
        BatchOutcome out = AttackRunner.attackBatch(attack, model, clean, Goal.untargeted(clean.labels()), L2_BUDGETS,
                AttackContext.seeded(3), false, 0);
        assertThat(Arrays.stream(out.minimal()).filter(Double::isFinite).count()).isGreaterThanOrEqualTo(IMAGES - 1);
        for (EpsilonOutcome e : out.epsilons()) {
            for (int i = 0; i < IMAGES; i++) {
                assertThat(e.distance()[i]).isLessThanOrEqualTo(e.epsilon() + 1e-5);
                assertThat(e.success()[i]).as("image %d at ε %s", i, e.epsilon()).isEqualTo(out.minimal()[i] <= e.epsilon());
                if (e.success()[i]) {
                    assertThat(e.predictions()[i]).isNotEqualTo(clean.labels()[i]);
                }
            }
        }
    }
}
