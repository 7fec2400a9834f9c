package org.mrw.core.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.tflite.TfliteModelWriter;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;
import org.mrw.core.testing.NativeMemory;
import org.mrw.core.testing.TestModels;

/** ONNX Runtime and TFLite inference keep native memory flat over many batches (PyTorch and TF have their own). */
class InferenceMemoryTest {

    private static final ImageBatch BATCH = Datasets.fashionMnistTest().batch(0, 100);

    @Test
    void onnxRuntimeLogitsKeepNativeMemoryFlat() {
        try (Classifier model = Models.load(TestModels.path("tiny_cnn.onnx"), null)) {
            NativeMemory.assertFlat("ONNX Runtime logits", () -> model.logits(BATCH));
        }
    }

    @Test
    void tfliteLogitsKeepNativeMemoryFlat(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("conv.tflite");
        Random r = new Random(5);
        float[] conv = new float[8 * 3 * 3];
        float[] dense = new float[10 * 14 * 14 * 8];
        for (int i = 0; i < conv.length; i++) {
            conv[i] = (float) r.nextGaussian() * 0.3f;
        }
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) r.nextGaussian() * 0.02f;
        }
        TfliteModelWriter writer = new TfliteModelWriter("conv");
        Node x = writer.input(28, 28, 1);
        Node h = writer.conv2d(x, Weights.of(conv, 8, 3, 3, 1), new float[8], 2, 1, Activation.RELU);
        writer.output(writer.fullyConnected(writer.flatten(h), Weights.of(dense, 10, 14 * 14 * 8), new float[10], Activation.NONE));
        writer.writeFloat32(file);
        try (Classifier model = Models.load(file, null)) {
            NativeMemory.assertFlat("TFLite logits", () -> model.logits(BATCH));
        }
    }
}
