package org.mrw.core.model.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.LossGradient;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Models;
import org.mrw.core.model.Runtime;
import org.mrw.core.model.Variant;
import org.mrw.core.testing.GradientCheck;
import org.mrw.core.testing.NativeMemory;
import org.mrw.core.testing.RandomBatches;
import org.mrw.core.testing.TestModels;

class TorchScriptClassifierTest {

    private static ImageBatch first16;

    @BeforeAll
    static void data() {
        first16 = Datasets.fashionMnistTest().batch(0, 16);
    }

    @ParameterizedTest(name = "{0} reproduces PyTorch''s own {1} logits")
    @CsvSource({
        "tiny_cnn.pt,       float, 1e-4, TORCHSCRIPT,      FLOAT",
        "tiny_cnn.ptl,      float, 1e-4, TORCHSCRIPT_LITE, FLOAT",
        // int8 kernels of libtorch 2.7.1 and torch 1.13 may round one step apart.
        "tiny_cnn_int8.pt,  int8,  0.25, TORCHSCRIPT,      INT8",
        "tiny_cnn_int8.ptl, int8,  0.25, TORCHSCRIPT_LITE, INT8",
    })
    void logitsMatchTheFrameworkThatExportedTheModel(String file, String reference, double tolerance,
                                                    ModelFormat format, Variant variant) {
        try (Classifier model = Models.load(TestModels.path(file), null)) {
            assertThat(model.info().format()).isEqualTo(format);
            assertThat(model.info().variant()).isEqualTo(variant);
            assertThat(model.numClasses()).isEqualTo(10);
            assertThat(model.input().className(9)).isEqualTo("Ankle boot");
            float[] logits = model.logits(first16);
            float[] expected = TestModels.referenceLogits(reference);
            assertThat(logits).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) logits[i]).as("logit %d", i).isCloseTo(expected[i], within(tolerance));
            }
        }
    }

    @Test
    void int8IsDetectedFromTheFileWhenTheDescriptorDoesNotSay(@TempDir Path dir) throws Exception {
        Path copy = TestModels.copyWithoutDescriptor("tiny_cnn_int8.pt", dir);
        InputSpec plain = InputSpec.plain(InputSpec.Layout.NCHW, 1, 28, 28, List.of());
        try (Classifier model = Models.load(copy, null, plain)) {
            assertThat(model.info().variant()).isEqualTo(Variant.INT8);
            assertThat(model.info().runtime()).isEqualTo(Runtime.PYTORCH);
        }
    }

    @Test
    void withoutDescriptorOrFallbackTheErrorSaysToWriteOne(@TempDir Path dir) throws Exception {
        Path copy = TestModels.copyWithoutDescriptor("tiny_cnn.pt", dir);
        assertThatThrownBy(() -> Models.load(copy, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(copy.toString())
                .hasMessageContaining("TorchScript")
                .hasMessageContaining("tiny_cnn.pt.json");
    }

    @Test
    void aDescriptorThatDoesNotFitTheNetworkIsRejectedAtLoad() {
        InputSpec wrong = InputSpec.plain(InputSpec.Layout.NCHW, 3, 32, 32, List.of());
        assertThatThrownBy(() -> Models.load(TestModels.path("tiny_cnn.pt"), wrong))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("does not fit");
    }

    // Random pixels, not dataset images: flat backgrounds tie in max-pooling, where the loss has only
    // subgradients and finite differences disagree with any of them.
    private static final ImageBatch NOISE = RandomBatches.of(4, 1, 28, 10, 13L);

    @ParameterizedTest(name = "{0}: input gradient agrees with finite differences")
    @CsvSource({"tiny_cnn.pt", "tiny_cnn.ptl"})
    void inputGradientAgreesWithFiniteDifferences(String file) {
        try (GradientClassifier model = Models.loadDifferentiable(TestModels.path(file), null, null)) {
            GradientCheck.Result r = GradientCheck.run(model, NOISE, 7);
            assertThat(r.cosine()).isGreaterThan(0.99);
            assertThat(r.normRatio()).isBetween(0.95, 1.05);
        }
    }

    @Test
    void gradientFollowsTheDescriptorsNormalisation(@TempDir Path dir) throws Exception {
        // Same network, but told its input is (x - 0.5) / 0.25: the canonical-space gradient must
        // still match finite differences taken in canonical space (chain rule through the preprocessing).
        Path copy = TestModels.copyWithoutDescriptor("tiny_cnn.pt", dir);
        InputSpec normalised = new InputSpec(InputSpec.Layout.NCHW, 1, 28, 28, null, new float[] {0.5f},
                new float[] {0.25f}, 0f, 1f, List.of(), Variant.FLOAT);
        try (GradientClassifier model = Models.loadDifferentiable(copy, normalised, null)) {
            GradientCheck.Result r = GradientCheck.run(model, NOISE, 11);
            assertThat(r.cosine()).isGreaterThan(0.99);
            assertThat(r.normRatio()).isBetween(0.95, 1.05);
        }
    }

    @Test
    void gradientLoadKeepsBatchNormInEvalModeAndAgreesWithInference() {
        Path file = TestModels.path("tiny_cnn.pt");
        try (Classifier inference = Models.load(file, null);
             GradientClassifier attackable = Models.loadDifferentiable(file, null, null)) {
            float[] before = attackable.logits(first16);
            for (int call = 0; call < 4; call++) {
                attackable.lossGradient(NOISE, NOISE.labels());
            }
            LossGradient a = attackable.lossGradient(first16, first16.labels());
            assertThat(attackable.logits(first16)).as("BatchNorm statistics untouched").containsExactly(before, within(1e-5f));
            float[] reference = inference.logits(first16);
            for (int i = 0; i < reference.length; i++) {
                assertThat(a.logits()[i]).isCloseTo(reference[i], within(1e-4f));
            }
        }
    }

    @Test
    void logitGradientWithSoftmaxMinusOneHotWeightsIsTheLossGradient() {
        try (GradientClassifier model = Models.loadDifferentiable(TestModels.path("tiny_cnn.pt"), null, null)) {
            org.mrw.core.testing.GradientIdentity.assertLossGradientIsAVectorJacobianProduct(model, first16);
        }
    }

    @Test
    void repeatedGradientsOfOneBatchAreEqual() {
        try (GradientClassifier model = Models.loadDifferentiable(TestModels.path("tiny_cnn.pt"), null, null)) {
            float[] first = model.lossGradient(NOISE, NOISE.labels()).gradient();
            for (int call = 0; call < 4; call++) {
                // Equal up to the summation order of multi-threaded kernels, not bit for bit.
                assertThat(model.lossGradient(NOISE, NOISE.labels()).gradient()).containsExactly(first, within(1e-6f));
            }
        }
    }

    @Test
    void eachImagesGradientIsIndependentOfItsBatch() {
        try (GradientClassifier model = Models.loadDifferentiable(TestModels.path("tiny_cnn.pt"), null, null)) {
            float[] whole = model.lossGradient(NOISE, NOISE.labels()).gradient();
            ImageBatch one = NOISE.slice(3, 4);
            float[] alone = model.lossGradient(one, one.labels()).gradient();
            int per = NOISE.imageSize();
            for (int i = 0; i < per; i++) {
                assertThat(alone[i]).isCloseTo(whole[3 * per + i], within(1e-5f));
            }
        }
    }

    @Test
    void int8ModelsRefuseGradientsWithAdvice() {
        assertThatThrownBy(() -> Models.loadDifferentiable(TestModels.path("tiny_cnn_int8.pt"), null, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tiny_cnn_int8.pt")
                .hasMessageContaining("transfer");
    }

    @Test
    void nativeMemoryStaysFlatOverManyBatches() {
        ImageBatch batch = Datasets.fashionMnistTest().batch(0, 100);
        try (GradientClassifier attackable = Models.loadDifferentiable(TestModels.path("tiny_cnn.pt"), null, null);
             Classifier inference = Models.load(TestModels.path("tiny_cnn.pt"), null)) {
            NativeMemory.assertFlat("PyTorch lossGradient", () -> attackable.lossGradient(batch, batch.labels()));
            NativeMemory.assertFlat("PyTorch logits", () -> inference.logits(batch));
        }
    }
}
