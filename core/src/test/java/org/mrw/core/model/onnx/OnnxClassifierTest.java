package org.mrw.core.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Models;
import org.mrw.core.model.Runtime;
import org.mrw.core.model.Variant;
import org.mrw.core.testing.TestModels;

class OnnxClassifierTest {

    @Test
    void reproducesPyTorchsLogitsForTheSameWeights() {
        ImageBatch first16 = Datasets.fashionMnistTest().batch(0, 16);
        try (Classifier model = Models.load(TestModels.path("tiny_cnn.onnx"), null)) {
            assertThat(model.info().runtime()).isEqualTo(Runtime.ONNX_RUNTIME);
            assertThat(model.info().variant()).isEqualTo(Variant.FLOAT);
            float[] logits = model.logits(first16);
            float[] expected = TestModels.referenceLogits("float");
            for (int i = 0; i < expected.length; i++) {
                assertThat(logits[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-4f));
            }
        }
    }

    @Test
    void infersTheInputShapeFromTheGraph(@TempDir Path dir) throws Exception {
        Path bare = TestModels.copyWithoutDescriptor("tiny_cnn.onnx", dir);
        try (Classifier model = Models.load(bare, null)) {
            assertThat(model.input().layout()).isEqualTo(InputSpec.Layout.NCHW);
            assertThat(model.input().channels()).isEqualTo(1);
            assertThat(model.input().height()).isEqualTo(28);
            assertThat(model.input().width()).isEqualTo(28);
            assertThat(model.numClasses()).isEqualTo(10);
        }
    }
}
