package org.mrw.core.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Models;
import org.mrw.core.model.Runtime;
import org.mrw.core.model.Variant;

/** The tiny CNN written as float and int8, loaded through {@link Models#load}. */
class TfliteClassifierTest {

    /** Float kernels and the Java reference sum in different orders; 1e-4 is the brief's bound. */
    private static final float FLOAT_TOLERANCE = 1e-4f;
    /**
     * int8 logits carry the rounding of the input, of the 1568 conv activations feeding the dense
     * layer and of the output itself. Measured worst case over 1000 random images: 8.6 output steps
     * (mean 1.7); the bound leaves room for other seeds.
     */
    private static final float INT8_TOLERANCE_STEPS = 16f;
    private static final float INT8_MEAN_TOLERANCE_STEPS = 3f;

    @TempDir
    static Path dir;

    private static final TinyCnn NET = new TinyCnn(7);
    private static final Map<Variant, Fixtures.Written> MODELS = new EnumMap<>(Variant.class);
    private static final Map<Variant, Fixtures.Written> FIXED_BATCH_MODELS = new EnumMap<>(Variant.class);

    @BeforeAll
    static void writeModels() throws IOException {
        ImageBatch calibration = Fixtures.images(1, 200, 1, TinyCnn.SIDE, TinyCnn.SIDE);
        for (Variant v : Variant.values()) {
            TinyCnn.Graph g = NET.graph(true);
            MODELS.put(v, Fixtures.write(v, g.writer(), g.input(), calibration, dir, "tiny_" + v));
            TinyCnn.Graph fixed = NET.graph(false);
            FIXED_BATCH_MODELS.put(v, Fixtures.write(v, fixed.writer(), fixed.input(), calibration, dir, "fixed_" + v));
        }
    }

    private static ImageBatch images(long seed, int n) {
        return Fixtures.images(seed, n, 1, TinyCnn.SIDE, TinyCnn.SIDE);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void inputSpecIsInferredAsNhwc28x28x1WithPlainRange(Variant variant) {
        try (Classifier c = Models.load(MODELS.get(variant).file(), null)) {
            assertThat(c).isInstanceOf(TfliteClassifier.class);
            assertThat(c.input()).isEqualTo(InputSpec.plain(InputSpec.Layout.NHWC, 1, 28, 28, List.of()));
            assertThat(c.numClasses()).isEqualTo(TinyCnn.CLASSES);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void infoNamesFileFormatRuntimeAndVariant(Variant variant) {
        Path file = MODELS.get(variant).file();
        try (Classifier c = Models.load(file, null)) {
            assertThat(c.info().id()).isEqualTo("tiny_" + variant);
            assertThat(c.info().file()).isEqualTo(file);
            assertThat(c.info().format()).isEqualTo(ModelFormat.TFLITE);
            assertThat(c.info().runtime()).isEqualTo(Runtime.TFLITE);
            assertThat(c.info().variant()).isEqualTo(variant);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void logitsMatchAPlainJavaForwardPassOfTheSameWeights(Variant variant) {
        ImageBatch batch = images(2, 1000);
        float[] expected = Fixtures.reference(batch, NET::forward);
        float[] actual;
        try (Classifier c = Models.load(MODELS.get(variant).file(), null)) {
            actual = c.logits(batch);
        }
        double error = Fixtures.maxAbsDifference(actual, expected);
        if (variant == Variant.FLOAT) {
            assertThat(error).isLessThanOrEqualTo(FLOAT_TOLERANCE);
            return;
        }
        float step = MODELS.get(variant).outputQuantization().scale();
        assertThat(error / step).as("worst error in output steps").isLessThanOrEqualTo(INT8_TOLERANCE_STEPS);
        double meanError = 0;
        for (int i = 0; i < actual.length; i++) {
            meanError += Math.abs(actual[i] - expected[i]) / actual.length;
        }
        assertThat(meanError / step).as("mean error in output steps").isLessThanOrEqualTo(INT8_MEAN_TOLERANCE_STEPS);
        assertThat(Fixtures.argMaxAgreement(actual, expected, batch.size(), TinyCnn.CLASSES)).isGreaterThanOrEqualTo(0.95);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void aBatchOf37GivesTheLogitsOf37SingleImages(Variant variant) {
        ImageBatch batch = images(3, 37);
        try (Classifier c = Models.load(MODELS.get(variant).file(), null)) {
            float[] together = c.logits(batch);
            float[] alone = singly(c, batch);
            // Float GEMM blocking depends on the batch, so the last bits may differ; int8 is exact.
            assertThat(together).containsExactly(alone, within(variant == Variant.FLOAT ? 1e-5f : 0f));
        }
    }

    private static float[] singly(Classifier c, ImageBatch batch) {
        float[] out = new float[batch.size() * c.numClasses()];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(c.logits(batch.slice(i, i + 1)), 0, out, i * c.numClasses(), c.numClasses());
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void batchesLargerThanTheInterpreterBatchAreSplitWithoutChangingResults(Variant variant) {
        int n = TfliteClassifier.MAX_BATCH + 44;
        ImageBatch batch = images(4, n);
        try (Classifier c = Models.load(MODELS.get(variant).file(), null)) {
            float[] whole = c.logits(batch);
            float[] first = c.logits(batch.slice(0, 100));
            float[] rest = c.logits(batch.slice(100, n));
            float[] pieces = new float[whole.length];
            System.arraycopy(first, 0, pieces, 0, first.length);
            System.arraycopy(rest, 0, pieces, first.length, rest.length);
            assertThat(whole).containsExactly(pieces, within(variant == Variant.FLOAT ? 1e-5f : 0f));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void aModelWithAFixedBatchOfOneRunsOneImagePerCall(Variant variant) {
        ImageBatch batch = images(5, 37);
        float[] expected;
        try (TfliteClassifier resizable = (TfliteClassifier) Models.load(MODELS.get(variant).file(), null)) {
            assertThat(resizable.resizable()).isTrue();
            expected = singly(resizable, batch);
        }
        try (TfliteClassifier fixed = (TfliteClassifier) Models.load(FIXED_BATCH_MODELS.get(variant).file(), null)) {
            assertThat(fixed.resizable()).isFalse();
            float[] actual = fixed.logits(batch);
            assertThat(actual).containsExactly(expected, within(variant == Variant.FLOAT ? 1e-5f : 0f));
            assertThat(fixed.logits(batch)).containsExactly(actual, within(0f));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void threadCountAndXnnpackDoNotChangeResults(Variant variant) {
        ImageBatch batch = images(6, 20);
        Path file = MODELS.get(variant).file();
        try (TfliteClassifier reference = TfliteClassifier.load(file, null);
             TfliteClassifier other = TfliteClassifier.load(file, null, new TfliteClassifier.RuntimeOptions(1, false))) {
            assertThat(other.logits(batch)).containsExactly(reference.logits(batch), within(variant == Variant.FLOAT ? 1e-5f : 0f));
        }
    }

    @Test
    void aDescriptorBesideTheModelSuppliesClassNames() throws IOException {
        Path copy = dir.resolve("named.tflite");
        Files.copy(MODELS.get(Variant.FLOAT).file(), copy);
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        InputSpec.plain(InputSpec.Layout.NHWC, 1, 28, 28, names).write(InputSpec.besideModel(copy));
        try (Classifier c = Models.load(copy, null)) {
            assertThat(c.input().classNames()).isEqualTo(names);
            assertThat(c.input().className(3)).isEqualTo("d");
        }
    }

    @Test
    void aDescriptorThatContradictsTheInputTensorIsRejected() {
        Path file = MODELS.get(Variant.FLOAT).file();
        InputSpec nchw = InputSpec.plain(InputSpec.Layout.NCHW, 1, 28, 28, List.of());
        assertThatThrownBy(() -> Models.load(file, nchw))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("TensorFlow Lite")
                .hasMessageContaining("[1, 28, 28, 1]");
    }

    @Test
    void aDescriptorVariantOverridesTheInferredOne() {
        InputSpec spec = InputSpec.plain(InputSpec.Layout.NHWC, 1, 28, 28, List.of()).withVariant(Variant.INT8);
        try (Classifier c = Models.load(MODELS.get(Variant.FLOAT).file(), spec)) {
            assertThat(c.info().variant()).isEqualTo(Variant.INT8);
        }
    }

    @Test
    void imagesOfAnotherSizeAreRejectedNamingBothShapes() {
        try (Classifier c = Models.load(MODELS.get(Variant.FLOAT).file(), null)) {
            ImageBatch wrong = Fixtures.images(1, 2, 1, 32, 32);
            assertThatThrownBy(() -> c.logits(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1x28x28").hasMessageContaining("1x32x32");
        }
    }

    @Test
    void aClosedClassifierRefusesWorkAndClosesOnlyOnce() {
        Classifier c = Models.load(MODELS.get(Variant.FLOAT).file(), null);
        c.close();
        c.close();
        assertThatThrownBy(() -> c.logits(images(1, 1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
