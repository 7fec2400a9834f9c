package org.mrw.core.zoo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mrw.core.data.NpzArrays.FloatArray;

/**
 * A small seeded random graph with every op of the format, written as {@code zoo_graph.py} writes
 * one: 1x16x16 input; conv 3x3 + ReLU; conv 3x3 stride 2 padding 1 + ReLU6; depthwise 3x3 + ReLU6;
 * pointwise conv (no activation); residual add + ReLU; max pool 3/1/1 in parallel with a 1x1 conv;
 * concat; max pool 2/2; global average pool; linear to 10 logits. Ranges are measured with
 * {@link ReferenceNet} on calibration images, as the Python build measures them.
 */
final class TestGraph {

    static final int SIDE = 16;
    static final int CLASSES = 10;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final List<Map<String, Object>> nodes = new ArrayList<>();
    final Map<String, FloatArray> weights = new LinkedHashMap<>();
    private final Random random;

    TestGraph(long seed) {
        random = new Random(seed);
        conv("stem", "input", 1, 8, 3, 1, 1, 1, "relu");
        conv("down", "stem", 8, 8, 3, 2, 1, 1, "relu6");
        conv("dw", "down", 8, 8, 3, 1, 1, 8, "relu6");
        conv("pw", "dw", 8, 8, 1, 1, 0, 1, "none");
        node("res", "add", List.of("pw", "down"), Map.of("activation", "relu"));
        node("pool3", "maxpool", List.of("res"), Map.of("kernel", 3, "stride", 1, "padding", 1));
        conv("branch", "res", 8, 4, 1, 1, 0, 1, "none");
        node("cat", "concat", List.of("pool3", "branch"), Map.of());
        node("pool2", "maxpool", List.of("cat"), Map.of("kernel", 2, "stride", 2, "padding", 0));
        node("gap", "globalavgpool", List.of("pool2"), Map.of());
        weights.put("fc.weight", random(12, CLASSES, 12));
        weights.put("fc.bias", bias(CLASSES));
        node("fc", "linear", List.of("gap"), Map.of("outFeatures", CLASSES, "weight", "fc.weight", "bias", "fc.bias"));
    }

    private void conv(String name, String in, int inC, int outC, int k, int stride, int pad, int groups, String act) {
        weights.put(name + ".weight", random(inC / groups * k * k, outC, inC / groups, k, k));
        weights.put(name + ".bias", bias(outC));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("outChannels", outC);
        p.put("kernel", k);
        p.put("stride", stride);
        p.put("padding", pad);
        p.put("groups", groups);
        p.put("activation", act);
        p.put("weight", name + ".weight");
        p.put("bias", name + ".bias");
        node(name, "conv2d", List.of(in), p);
    }

    private void node(String name, String op, List<String> inputs, Map<String, Object> params) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("name", name);
        n.put("op", op);
        n.put("inputs", inputs);
        n.putAll(params);
        nodes.add(n);
    }

    /** He-normal: keeps activations of order one through the layers. */
    private FloatArray random(int fanIn, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * Math.sqrt(2.0 / fanIn));
        }
        return new FloatArray(shape, v);
    }

    private FloatArray bias(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * 0.1);
        }
        return new FloatArray(new int[] {n}, v);
    }

    /** The graph JSON document, with {@code ranges} (may be null to leave them out). */
    Map<String, Object> document(Map<String, float[]> ranges) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "mrw-graph/1");
        doc.put("name", "tiny");
        doc.put("input", Map.of("name", "input", "channels", 1, "height", SIDE, "width", SIDE));
        doc.put("nodes", nodes);
        doc.put("output", "fc");
        if (ranges != null) {
            doc.put("ranges", ranges);
            doc.put("calibration", Map.of("split", "random test images", "count", 1, "seed", 1));
        }
        return doc;
    }

    /** Writes {@code tiny.graph.json} (with ranges measured on {@code calibration}) and {@code tiny.weights.npz}. */
    Path write(Path dir, float[] calibration, int count) throws IOException {
        Path weightsFile = dir.resolve("tiny.weights.npz");
        NpzWriter.write(weightsFile, weights);
        Path graphFile = dir.resolve("tiny.graph.json");
        JSON.writeValue(graphFile.toFile(), document(null));
        ReferenceNet net = new ReferenceNet(ZooGraph.read(graphFile));
        JSON.writeValue(graphFile.toFile(), document(net.ranges(calibration, count)));
        return graphFile;
    }

    /** Writes a graph document as it is, with these weights, e.g. a broken one. */
    static Path write(Path dir, Map<String, Object> document, Map<String, FloatArray> weights) throws IOException {
        NpzWriter.write(dir.resolve("tiny.weights.npz"), weights);
        Path graphFile = dir.resolve("tiny.graph.json");
        JSON.writeValue(graphFile.toFile(), document);
        return graphFile;
    }
}
