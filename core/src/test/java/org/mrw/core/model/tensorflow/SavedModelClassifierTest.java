package org.mrw.core.model.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Logits;
import org.mrw.core.model.LossGradient;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Models;
import org.mrw.core.testing.RandomBatches;
import org.mrw.core.model.Runtime;
import org.mrw.core.model.Variant;
import org.mrw.core.model.tensorflow.TinySavedModels.Architecture;

class SavedModelClassifierTest {

    @TempDir
    static Path temp;

    private static Path fashion;
    private static ImageBatch batch;

    @BeforeAll
    static void exportFixture() {
        fashion = TinySavedModels.fashionCnn(temp.resolve("fashion_cnn"));
        batch = RandomBatches.of(64, 1, 28, 10, 1L);
    }

    @Test
    void inferenceLoadInfersTheNhwcSpecFromTheServingSignature() {
        try (Classifier model = Models.load(fashion, null)) {
            assertThat(model).isInstanceOf(SavedModelClassifier.class);
            assertThat(model.info().id()).isEqualTo("fashion_cnn");
            assertThat(model.info().file()).isEqualTo(fashion.toAbsolutePath());
            assertThat(model.info().format()).isEqualTo(ModelFormat.SAVED_MODEL);
            assertThat(model.info().runtime()).isEqualTo(Runtime.TENSORFLOW);
            assertThat(model.info().variant()).isEqualTo(Variant.FLOAT);
            assertThat(model.input()).isEqualTo(InputSpec.plain(InputSpec.Layout.NHWC, 1, 28, 28, List.of()).withVariant(Variant.FLOAT));
            assertThat(model.numClasses()).isEqualTo(10);
            assertThat(model.logits(batch)).hasSize(64 * 10);
        }
    }

    @Test
    void predictionsAreDeterministicAndNotConstant() {
        try (Classifier model = Models.load(fashion, null)) {
            float[] first = model.logits(batch);
            assertThat(model.logits(batch)).containsExactly(first);
            assertThat(model.predict(batch)).containsExactly(model.predict(batch));
            assertThat(IntStream.of(model.predict(batch)).distinct().count()).as("distinct predicted classes").isGreaterThan(1);
        }
    }

    @Test
    void logitGradientWithSoftmaxMinusOneHotWeightsIsTheLossGradient() {
        try (GradientClassifier tfJava = Models.loadDifferentiable(fashion, null)) {
            org.mrw.core.testing.GradientIdentity.assertLossGradientIsAVectorJacobianProduct(tfJava, batch);
        }
    }

    @Test
    void inferenceAndGradientLoadsGiveTheSameLogitsAndLoss() {
        try (Classifier djl = Models.load(fashion, null); GradientClassifier tfJava = Models.loadDifferentiable(fashion, null)) {
            float[] expected = djl.logits(batch);
            assertThat(tfJava.logits(batch)).containsExactly(expected, within(1e-5f));
            assertThat(tfJava.predict(batch)).containsExactly(djl.predict(batch));

            LossGradient pass = tfJava.lossGradient(batch, batch.labels());
            assertThat(pass.logits()).containsExactly(expected, within(1e-5f));
            assertThat(pass.loss()).containsExactly(Logits.crossEntropy(expected, batch.labels(), 10), within(1e-4f));
            assertThat(pass.gradient()).hasSize(batch.pixels().length);
        }
    }

    @Test
    void graphsThatCallFunctionsRunInBothRuntimes() {
        Path keras = TinySavedModels.export(temp.resolve("function_call"), Architecture.fashion().withFunctionCall());
        try (Classifier djl = Models.load(keras, null); GradientClassifier tfJava = Models.loadDifferentiable(keras, null)) {
            float[] expected = djl.logits(batch);
            assertThat(tfJava.logits(batch)).containsExactly(expected, within(1e-5f));
            assertThat(tfJava.lossGradient(batch, batch.labels()).loss())
                    .containsExactly(Logits.crossEntropy(expected, batch.labels(), 10), within(1e-4f));
        }
    }

    @Test
    void aSavedModelPbPathStandsForItsFolder() {
        try (Classifier model = Models.load(fashion.resolve("saved_model.pb"), null)) {
            assertThat(model.info().file()).isEqualTo(fashion.toAbsolutePath());
            assertThat(model.logits(batch)).hasSize(640);
        }
    }

    @Test
    void descriptorOverridesInferenceAndNamesTheClasses() {
        List<String> names = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot");
        InputSpec spec = new InputSpec(InputSpec.Layout.NHWC, 1, 28, 28, null, new float[] {0.5f}, new float[] {0.25f},
                0f, 1f, names, Variant.FLOAT);
        try (Classifier model = Models.load(fashion, spec)) {
            assertThat(model.input()).isEqualTo(spec);
            assertThat(model.input().className(9)).isEqualTo("boot");
        }
    }

    @Test
    void descriptorThatContradictsTheSignatureIsRejected() {
        InputSpec nchw = InputSpec.plain(InputSpec.Layout.NCHW, 1, 28, 28, List.of());
        assertThatThrownBy(() -> Models.load(fashion, nchw))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(fashion.toAbsolutePath().toString())
                .hasMessageContaining("TensorFlow SavedModel")
                .hasMessageContaining("NCHW 1x28x28")
                .hasMessageContaining("[-1,28,28,1]");
        InputSpec threeNames = InputSpec.plain(InputSpec.Layout.NHWC, 1, 28, 28, List.of("a", "b", "c"));
        assertThatThrownBy(() -> Models.load(fashion, threeNames))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("names 3 classes but the model has 10 outputs");
    }

    @Test
    void inferenceLoadRefusesGradientsAndBadLabelsAreRejected() {
        try (GradientClassifier model = SavedModelClassifier.load(fashion, null, false)) {
            assertThatThrownBy(() -> model.lossGradient(batch, batch.labels()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("loadDifferentiable");
        }
        try (GradientClassifier model = Models.loadDifferentiable(fashion, null)) {
            int[] labels = batch.labels().clone();
            labels[3] = 10;
            assertThatThrownBy(() -> model.lossGradient(batch, labels))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("label 10 of image 3");
        }
    }

    @Test
    void closedModelsRefuseWorkAndCloseTwice() {
        Classifier model = Models.load(fashion, null);
        model.close();
        model.close();
        assertThatThrownBy(() -> model.logits(batch)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void fixedBatchSignaturesAreFedInPaddedChunks() {
        Path fixed = TinySavedModels.export(temp.resolve("fixed_batch"), Architecture.fashion().withFixedBatch(8));
        ImageBatch odd = batch.slice(0, 21);
        try (Classifier any = Models.load(fashion, null);
             Classifier djl = Models.load(fixed, null);
             GradientClassifier tfJava = Models.loadDifferentiable(fixed, null);
             GradientClassifier reference = Models.loadDifferentiable(fashion, null)) {
            float[] expected = any.logits(odd);
            assertThat(djl.logits(odd)).containsExactly(expected, within(1e-5f));
            assertThat(tfJava.logits(odd)).containsExactly(expected, within(1e-5f));
            LossGradient chunked = tfJava.lossGradient(odd, odd.labels());
            LossGradient whole = reference.lossGradient(odd, odd.labels());
            assertThat(chunked.loss()).containsExactly(whole.loss(), within(1e-5f));
            assertThat(chunked.gradient()).containsExactly(whole.gradient(), within(1e-5f));
        }
    }
}
