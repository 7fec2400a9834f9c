package org.mrw.core.model.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.InputSpec.ChannelOrder;
import org.mrw.core.model.InputSpec.Layout;
import org.mrw.core.model.LossGradient;
import org.mrw.core.model.Models;
import org.mrw.core.testing.RandomBatches;
import org.mrw.core.model.tensorflow.TinySavedModels.Architecture;
import org.mrw.core.testing.GradientCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input gradients against central finite differences of the per-image loss computed from
 * {@code logits}, in canonical coordinates: with non-trivial mean/std, range, BGR and both layouts
 * this checks the TensorFlow gradient and the preprocessing chain rule together.
 */
class SavedModelGradientTest {

    private static final Logger LOG = LoggerFactory.getLogger(SavedModelGradientTest.class);
    private static final int IMAGES = 3;

    @TempDir
    static Path temp;

    private static Path fashion;
    private static Path rgbNhwc;
    private static Path rgbNchw;
    private static Path functionCall;

    @BeforeAll
    static void exportFixtures() {
        fashion = TinySavedModels.fashionCnn(temp.resolve("fashion"));
        // Same seed, so the same weights: the two differ only in the input layout.
        rgbNhwc = TinySavedModels.export(temp.resolve("rgb_nhwc"), Architecture.of(Layout.NHWC, 3, 16));
        rgbNchw = TinySavedModels.export(temp.resolve("rgb_nchw"), Architecture.of(Layout.NCHW, 3, 16));
        functionCall = TinySavedModels.export(temp.resolve("function_call"), Architecture.fashion().withFunctionCall());
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("NHWC 1x28x28 inferred [0,1]", (ModelCase) () -> fashion, null),
                Arguments.of("NHWC 3x16x16 BGR mean/std", (ModelCase) () -> rgbNhwc,
                        new InputSpec(Layout.NHWC, 3, 16, 16, ChannelOrder.BGR, new float[] {0.485f, 0.456f, 0.406f},
                                new float[] {0.2f, 0.3f, 0.45f}, 0f, 1f, List.of(), null)),
                Arguments.of("NCHW 3x16x16 range [0,255] mean/std", (ModelCase) () -> rgbNchw,
                        new InputSpec(Layout.NCHW, 3, 16, 16, ChannelOrder.RGB, new float[] {120f, 115f, 100f},
                                new float[] {60f, 55f, 50f}, 0f, 255f, List.of(), null)),
                // TensorFlow differentiates the call with SymbolicGradient, batch norm included (TF 2.16).
                Arguments.of("layers in a function call with batch norm (Keras-like)", (ModelCase) () -> functionCall, null));
    }

    /** Fixtures exist only after {@code @BeforeAll}, so the arguments hold a supplier. */
    @FunctionalInterface
    interface ModelCase {
        Path dir();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void lossGradientMatchesCentralFiniteDifferences(String name, ModelCase model, InputSpec descriptor) {
        try (GradientClassifier classifier = Models.loadDifferentiable(model.dir(), descriptor)) {
            InputSpec spec = classifier.input();
            ImageBatch batch = RandomBatches.of(IMAGES, spec.channels(), spec.height(), 10, 11L);
            GradientCheck.Result r = GradientCheck.run(classifier, batch, 5);
            double cosine = r.cosine();
            double ratio = r.normRatio();
            int probes = r.probes();
            LOG.info("{}: finite differences vs lossGradient over {} probes: cosine {}, norm ratio {}", name, probes,
                    String.format("%.5f", cosine), String.format("%.4f", ratio));
            assertThat(cosine).as("cosine similarity over %d probes", probes).isGreaterThan(0.99);
            assertThat(ratio).as("|analytic| / |numeric|").isBetween(0.95, 1.05);
        }
    }

    @Test
    void eachImagesGradientIsThatOfItsOwnLoss() {
        try (GradientClassifier classifier = Models.loadDifferentiable(fashion, null)) {
            ImageBatch batch = RandomBatches.of(5, 1, 28, 10, 3L);
            LossGradient together = classifier.lossGradient(batch, batch.labels());
            int per = batch.imageSize();
            for (int i = 0; i < batch.size(); i++) {
                ImageBatch alone = batch.slice(i, i + 1);
                LossGradient single = classifier.lossGradient(alone, alone.labels());
                assertThat(single.loss()[0]).isCloseTo(together.loss()[i], within(1e-5f));
                float[] mine = Arrays.copyOfRange(together.gradient(), i * per, (i + 1) * per);
                assertThat(single.gradient()).containsExactly(mine, within(1e-6f));
            }
        }
    }

    @Test
    void nchwAndNhwcExportsOfOneNetworkGiveTheSameCanonicalGradients() {
        float[] mean = {0.4f, 0.5f, 0.6f};
        float[] std = {0.2f, 0.3f, 0.25f};
        InputSpec nhwc = new InputSpec(Layout.NHWC, 3, 16, 16, ChannelOrder.RGB, mean, std, 0f, 1f, List.of(), null);
        InputSpec nchw = new InputSpec(Layout.NCHW, 3, 16, 16, ChannelOrder.RGB, mean, std, 0f, 1f, List.of(), null);
        ImageBatch batch = RandomBatches.of(4, 3, 16, 10, 9L);
        try (GradientClassifier a = Models.loadDifferentiable(rgbNhwc, nhwc);
             GradientClassifier b = Models.loadDifferentiable(rgbNchw, nchw)) {
            LossGradient ga = a.lossGradient(batch, batch.labels());
            LossGradient gb = b.lossGradient(batch, batch.labels());
            assertThat(gb.logits()).containsExactly(ga.logits(), within(1e-4f));
            assertThat(gb.gradient()).containsExactly(ga.gradient(), within(1e-5f));
            assertThat(maxAbs(ga.gradient())).as("gradient is not trivially zero").isGreaterThan(1e-3f);
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
