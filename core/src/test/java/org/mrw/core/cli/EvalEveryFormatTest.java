package org.mrw.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mrw.core.model.tensorflow.TinySavedModels;
import org.mrw.core.model.tflite.TfliteModelWriter;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;
import org.mrw.core.testing.TestModels;

/** {@code mrw eval} on a small model in each of the five formats, without any descriptor file. */
class EvalEveryFormatTest {

    @TempDir
    static Path temp;

    private static Path savedModel;
    private static Path tflite;
    private static Path torchScript;
    private static Path lite;

    @BeforeAll
    static void writeModels() throws IOException {
        savedModel = TinySavedModels.fashionCnn(temp.resolve("saved_cnn"));
        tflite = temp.resolve("dense.tflite");
        denseTflite(tflite);
        torchScript = TestModels.copyWithoutDescriptor("tiny_cnn.pt", temp);
        lite = TestModels.copyWithoutDescriptor("tiny_cnn.ptl", temp);
    }

    /** A seeded 28x28x1 -> 10 dense layer, written with the workbench's own TFLite writer. */
    private static void denseTflite(Path file) throws IOException {
        Random r = new Random(3);
        float[] w = new float[10 * 784];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.05f;
        }
        TfliteModelWriter writer = new TfliteModelWriter("dense");
        Node x = writer.input(28, 28, 1);
        writer.output(writer.fullyConnected(writer.flatten(x), Weights.of(w, 10, 784), new float[10], Activation.NONE));
        writer.writeFloat32(file);
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("TorchScript", (Model) () -> torchScript, "PyTorch"),
                Arguments.of("TorchScript Lite", (Model) () -> lite, "PyTorch Mobile"),
                Arguments.of("TensorFlow SavedModel", (Model) () -> savedModel, "TensorFlow"),
                Arguments.of("TensorFlow Lite", (Model) () -> tflite, "TensorFlow Lite"),
                Arguments.of("ONNX", (Model) () -> TestModels.path("tiny_cnn.onnx"), "ONNX Runtime"));
    }

    /** Fixtures exist only after {@code @BeforeAll}, so the arguments hold a supplier. */
    @FunctionalInterface
    interface Model {
        Path path();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void evalReportsEveryFormatInItsRuntime(String format, Model model, String runtime) throws Exception {
        MrwCommandLineTest.Run r = MrwCommandLineTest.mrw("eval", "--model", model.path().toString(), "--limit", "300", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("format").asText()).isEqualTo(format);
        assertThat(doc.get("runtime").asText()).isEqualTo(runtime);
        assertThat(doc.get("samples").asInt()).isEqualTo(300);
        assertThat(doc.get("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(doc.get("imagesPerSecond").asDouble()).isPositive();
    }
}
