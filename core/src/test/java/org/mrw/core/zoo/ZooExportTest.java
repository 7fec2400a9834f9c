package org.mrw.core.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.cli.Mrw;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Logits;
import org.mrw.core.model.Models;
import org.mrw.core.model.Variant;
import org.mrw.core.model.tflite.AffineQuantization;
import org.mrw.core.testing.GradientCheck;

/**
 * {@code mrw zoo export} on a small random graph with every op, each export checked against a plain
 * Java forward pass with PyTorch's semantics ({@link ReferenceNet}).
 */
class ZooExportTest {

    private static final int CALIBRATION = 200;
    private static final int IMAGES = 200;

    @TempDir
    static Path dir;

    private static ZooGraph graph;
    private static ImageBatch images;
    private static float[] reference;
    private static JsonNode printed;

    @BeforeAll
    static void export() throws IOException {
        Path graphFile = new TestGraph(5).write(dir, smoothImages(11, CALIBRATION).pixels(), CALIBRATION);
        graph = ZooGraph.read(graphFile);
        images = smoothImages(12, IMAGES);
        reference = new ReferenceNet(graph).logits(images.pixels(), IMAGES);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Mrw.run(new PrintWriter(out), new PrintWriter(err), "zoo", "export", "--graph", graphFile.toString(),
                "--out", dir.resolve("out").toString(), "--json");
        assertThat(code).as(err.toString()).isZero();
        printed = new ObjectMapper().readTree(out.toString());
    }

    /** Blurred random images in [0,1]: like real images, neighbouring pixels correlate. */
    private static ImageBatch smoothImages(long seed, int n) {
        Random r = new Random(seed);
        int side = TestGraph.SIDE;
        float[] px = new float[n * side * side];
        for (int i = 0; i < n; i++) {
            float[] noise = new float[(side + 2) * (side + 2)];
            for (int p = 0; p < noise.length; p++) {
                noise[p] = r.nextFloat();
            }
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    float s = 0;
                    for (int dy = 0; dy < 3; dy++) {
                        for (int dx = 0; dx < 3; dx++) {
                            s += noise[(y + dy) * (side + 2) + x + dx];
                        }
                    }
                    px[(i * side + y) * side + x] = s / 9f;
                }
            }
        }
        return new ImageBatch(px, new int[n], 1, side, side);
    }

    private static float[] logits(Path model) {
        try (Classifier c = Models.load(model, null)) {
            assertThat(c.numClasses()).isEqualTo(TestGraph.CLASSES);
            return c.logits(images);
        }
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void exportPrintsTheThreeFilesItWroteWithTheirSizes() {
        assertThat(printed.path("architecture").asText()).isEqualTo("tiny");
        assertThat(printed.path("files")).hasSize(3);
        for (JsonNode f : printed.path("files")) {
            assertThat(Path.of(f.path("path").asText())).exists();
            assertThat(f.path("bytes").asLong()).isPositive();
        }
        Path out = dir.resolve("out");
        assertThat(out.resolve("tiny_float_savedmodel/saved_model.pb")).isRegularFile();
        assertThat(InputSpec.read(out.resolve("tiny_float_savedmodel/mrw.json")).layout()).isEqualTo(InputSpec.Layout.NHWC);
        assertThat(InputSpec.read(out.resolve("tiny_float.tflite.json")).variant()).isEqualTo(Variant.FLOAT);
        assertThat(InputSpec.read(out.resolve("tiny_int8.tflite.json")).variant()).isEqualTo(Variant.INT8);
    }

    @Test
    void savedModelComputesPytorchSemantics() {
        assertThat(maxAbsDifference(logits(dir.resolve("out/tiny_float_savedmodel")), reference)).isLessThan(1e-4);
    }

    @Test
    void tfliteFloatComputesPytorchSemantics() {
        assertThat(maxAbsDifference(logits(dir.resolve("out/tiny_float.tflite")), reference)).isLessThan(1e-4);
    }

    @Test
    void tfliteInt8CalibratedWithTheGraphRangesStaysWithinAFewOutputSteps() {
        float[] int8 = logits(dir.resolve("out/tiny_int8.tflite"));
        ZooGraph.Range out = graph.ranges().get(graph.output());
        float step = AffineQuantization.int8ForRange(out.min(), out.max()).scale();
        int[] a = Logits.argMax(int8, IMAGES, TestGraph.CLASSES);
        int[] b = Logits.argMax(reference, IMAGES, TestGraph.CLASSES);
        int same = 0;
        double meanError = 0;
        for (int i = 0; i < IMAGES; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        for (int i = 0; i < int8.length; i++) {
            meanError += Math.abs(int8[i] - reference[i]) / int8.length;
        }
        assertThat(same / (double) IMAGES).isGreaterThanOrEqualTo(0.95);
        // Rounding in ten int8 layers adds up to a few output steps; a scale or layout error costs far more.
        assertThat(maxAbsDifference(int8, reference)).isLessThan(8 * step);
        assertThat(meanError).isLessThan(2 * step);
    }

    @Test
    void savedModelGradientsMatchFiniteDifferences() {
        ImageBatch four = images.slice(0, 4);
        int[] predicted = Logits.argMax(java.util.Arrays.copyOf(reference, 4 * TestGraph.CLASSES), 4, TestGraph.CLASSES);
        int[] labels = new int[4];
        for (int i = 0; i < 4; i++) {
            labels[i] = (predicted[i] + 1) % TestGraph.CLASSES;
        }
        try (GradientClassifier c = Models.loadDifferentiable(dir.resolve("out/tiny_float_savedmodel"), null)) {
            GradientCheck.Result r = GradientCheck.run(c, new ImageBatch(four.pixels(), labels, 1, TestGraph.SIDE, TestGraph.SIDE), 3);
            assertThat(r.cosine()).as("%s", r).isGreaterThan(0.99);
            assertThat(r.normRatio()).as("%s", r).isBetween(0.9, 1.1);
        }
    }

    @Test
    void exportReplacesAnEarlierSavedModelButNoOtherFolder() throws IOException {
        Path target = dir.resolve("again");
        SavedModelExport.export(graph, target);
        SavedModelExport.export(graph, target);
        assertThat(target.resolve("saved_model.pb")).isRegularFile();
        Path other = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(other.resolve("readme.txt"), "mine");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SavedModelExport.export(graph, other))
                .hasMessageContaining("not a SavedModel folder");
        assertThat(other.resolve("readme.txt")).hasContent("mine");
    }
}
