package org.mrw.core.model.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
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
import org.mrw.core.model.Logits;
import org.mrw.core.model.LossGradient;
import org.mrw.core.model.Models;
import org.mrw.core.model.tensorflow.TinySavedModels.Architecture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input gradients against central finite differences of the per-image loss computed from
 * {@code logits}, in canonical coordinates: with non-trivial mean/std, range, BGR and both layouts
 * this checks the TensorFlow gradient and the preprocessing chain rule together.
 */
class SavedModelGradientTest {

    private static final Logger LOG = LoggerFactory.getLogger(SavedModelGradientTest.class);
    /** Step in canonical pixel units: large enough for float32 losses, small against ReLU kinks. */
    private static final float STEP = 1e-2f;
    private static final int IMAGES = 3;
    private static final int DIRECTIONS = 4;
    private static final int PIXELS = 8;

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
            float[] gradient = classifier.lossGradient(batch, batch.labels()).gradient();
            int per = batch.imageSize();
            Random random = new Random(5);

            // Probes: random unit directions, the steepest pixels and random pixels of every image.
            List<float[]> directions = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) {
                int image = i;
                for (int k = 0; k < DIRECTIONS; k++) {
                    directions.add(unitGaussian(per, random));
                    owners.add(i);
                }
                IntStream.range(0, per).boxed()
                        .sorted(Comparator.comparingDouble(p -> -Math.abs(gradient[image * per + p])))
                        .limit(PIXELS).forEach(p -> {
                            directions.add(basis(per, p));
                            owners.add(image);
                        });
                for (int k = 0; k < PIXELS; k++) {
                    directions.add(basis(per, random.nextInt(per)));
                    owners.add(i);
                }
            }

            // All perturbed images in one batch: image j*2 is x+h*d_j, image j*2+1 is x-h*d_j.
            int probes = directions.size();
            float[] pixels = new float[2 * probes * per];
            int[] labels = new int[2 * probes];
            for (int j = 0; j < probes; j++) {
                int owner = owners.get(j);
                for (int p = 0; p < per; p++) {
                    float x = batch.pixels()[owner * per + p];
                    pixels[(2 * j) * per + p] = x + STEP * directions.get(j)[p];
                    pixels[(2 * j + 1) * per + p] = x - STEP * directions.get(j)[p];
                }
                labels[2 * j] = batch.labels()[owner];
                labels[2 * j + 1] = batch.labels()[owner];
            }
            ImageBatch perturbed = new ImageBatch(pixels, labels, batch.channels(), batch.height(), batch.width());
            float[] loss = Logits.crossEntropy(classifier.logits(perturbed), labels, classifier.numClasses());

            double[] numeric = new double[probes];
            double[] analytic = new double[probes];
            for (int j = 0; j < probes; j++) {
                numeric[j] = ((double) loss[2 * j] - loss[2 * j + 1]) / (2.0 * STEP);
                for (int p = 0; p < per; p++) {
                    analytic[j] += (double) gradient[owners.get(j) * per + p] * directions.get(j)[p];
                }
            }
            double cosine = cosine(numeric, analytic);
            // Cosine ignores scale, and a lost factor (range, std) would be a uniform scale: check the norms too.
            double ratio = Math.sqrt(dot(analytic, analytic) / dot(numeric, numeric));
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

    private static float[] unitGaussian(int size, Random random) {
        float[] d = new float[size];
        double norm = 0;
        for (int p = 0; p < size; p++) {
            d[p] = (float) random.nextGaussian();
            norm += d[p] * d[p];
        }
        for (int p = 0; p < size; p++) {
            d[p] /= (float) Math.sqrt(norm);
        }
        return d;
    }

    private static float[] basis(int size, int index) {
        float[] d = new float[size];
        d[index] = 1f;
        return d;
    }

    private static double cosine(double[] a, double[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
