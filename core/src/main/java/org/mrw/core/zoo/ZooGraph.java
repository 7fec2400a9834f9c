package org.mrw.core.zoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mrw.core.data.DatasetFormatException;
import org.mrw.core.data.NpzArrays;
import org.mrw.core.data.NpzArrays.FloatArray;

/**
 * A folded zoo network as {@code models/recipe/zoo_graph.py} writes it: {@code <arch>.graph.json} (format
 * {@code mrw-graph/1}: input, nodes in execution order, output, activation ranges, calibration set) and
 * {@code <arch>.weights.npz} (float32 arrays in PyTorch layouts: conv {@code [O, I/groups, kH, kW]},
 * linear {@code [O, I]}). Tensors are NCHW in these terms; exporters convert.
 *
 * <p>Reading validates everything an exporter relies on, naming the file and node at fault: known ops
 * and activations, inputs that name earlier nodes (no cycles), weights present with the shapes the
 * node implies, and every node's output shape (for one image: {@code [C,H,W]} or {@code [F]}).
 * Immutable.
 */
public final class ZooGraph {

    /** The only format version this reader knows. */
    public static final String FORMAT = "mrw-graph/1";

    /** Name of the graph input in node inputs and in {@link #ranges()}. */
    public static final String INPUT = "input";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Activations applied after a convolution or an add. */
    public enum Activation {
        NONE, RELU, RELU6;

        /** The value as the graph spells it ({@code none}, {@code relu}, {@code relu6}). */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One operation of the graph: its output is named {@link #name()}, its inputs are earlier node names or {@code input}. */
    public sealed interface Node permits Conv2d, Add, Concat, MaxPool, GlobalAvgPool, Linear {

        /** Unique name, also the key of its range. */
        String name();

        /** Names of the nodes (or {@code input}) it reads, in order. */
        List<String> inputs();
    }

    /**
     * {@code nn.Conv2d} (BatchNorm folded) plus an activation. {@code groups} is 1 or the number of input
     * channels (depthwise); padding is symmetric with zeros.
     */
    public record Conv2d(String name, String input, int outChannels, int kernel, int stride, int padding, int groups,
                         Activation activation, String weight, String bias) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Element-wise sum of two equal shapes plus an activation (residual connections). */
    public record Add(String name, String a, String b, Activation activation) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(a, b);
        }
    }

    /** Concatenation along channels. */
    public record Concat(String name, List<String> inputs) implements Node {
        public Concat {
            inputs = List.copyOf(inputs);
        }
    }

    /** {@code nn.MaxPool2d(kernel, stride, padding)}: padded pixels never win (PyTorch pads with -inf). */
    public record MaxPool(String name, String input, int kernel, int stride, int padding) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Mean over height and width: {@code [C,H,W] -> [C]}. */
    public record GlobalAvgPool(String name, String input) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** {@code nn.Linear}: {@code y = W x + b}, weight {@code [out, in]}. */
    public record Linear(String name, String input, int outFeatures, String weight, String bias) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /**
     * The graph input.
     *
     * @param name     its name in node inputs (always {@code input})
     * @param channels image channels
     * @param height   image rows
     * @param width    image columns
     */
    public record Input(String name, int channels, int height, int width) {
    }

    /**
     * The smallest and largest value of a node's output over the calibration images.
     *
     * @param min smallest value
     * @param max largest value
     */
    public record Range(float min, float max) {
        public Range {
            if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
                throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]");
            }
        }
    }

    /**
     * Where the ranges were measured.
     *
     * @param split which images, e.g. {@code fashion-mnist train}
     * @param count how many
     * @param seed  seed of the sample
     */
    public record CalibrationSet(String split, int count, long seed) {
    }

    private final Path file;
    private final String name;
    private final Input input;
    private final List<Node> nodes;
    private final String output;
    private final Map<String, FloatArray> weights;
    private final Map<String, Range> ranges;
    private final CalibrationSet calibration;
    private final Map<String, int[]> shapes;

    private ZooGraph(Path file, String name, Input input, List<Node> nodes, String output, Map<String, FloatArray> weights,
                     Map<String, Range> ranges, CalibrationSet calibration) {
        this.file = file;
        this.name = name;
        this.input = input;
        this.nodes = List.copyOf(nodes);
        this.output = output;
        this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        this.ranges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
        this.calibration = calibration;
        this.shapes = new Validator().check();
    }

    /** Reads {@code <arch>.graph.json} and the {@code <arch>.weights.npz} beside it. */
    public static ZooGraph read(Path graphJson) {
        return read(graphJson, weightsBeside(graphJson));
    }

    /** The weights file conventionally beside a graph file: {@code x.graph.json -> x.weights.npz}. */
    public static Path weightsBeside(Path graphJson) {
        String f = graphJson.getFileName().toString();
        String stem = f.endsWith(".graph.json") ? f.substring(0, f.length() - ".graph.json".length())
                : f.endsWith(".json") ? f.substring(0, f.length() - ".json".length()) : f;
        return graphJson.resolveSibling(stem + ".weights.npz");
    }

    /**
     * Reads a graph and its weights and validates them.
     *
     * @throws ZooGraphException naming the file (and node) when they do not form a valid graph
     */
    public static ZooGraph read(Path graphJson, Path weightsNpz) {
        if (!Files.isRegularFile(graphJson)) {
            throw new ZooGraphException(graphJson, "no such file");
        }
        if (!Files.isRegularFile(weightsNpz)) {
            throw new ZooGraphException(graphJson, "its weights " + weightsNpz + " do not exist");
        }
        JsonNode root;
        try {
            root = JSON.readTree(graphJson.toFile());
        } catch (JsonProcessingException e) {
            throw new ZooGraphException(graphJson, "not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + graphJson + ": " + e.getMessage(), e);
        }
        Map<String, FloatArray> weights;
        try {
            weights = NpzArrays.readFloats(weightsNpz);
        } catch (DatasetFormatException e) {
            throw new ZooGraphException(graphJson, "its weights " + weightsNpz + " cannot be read: expected "
                    + e.expected() + ", found " + e.found(), e);
        }
        return parse(graphJson, root, weights);
    }

    private static ZooGraph parse(Path file, JsonNode root, Map<String, FloatArray> weights) {
        if (root == null || !root.isObject()) {
            throw new ZooGraphException(file, "expected a JSON object with format, input, nodes and output");
        }
        String format = root.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new ZooGraphException(file, "format '" + format + "' is not " + FORMAT);
        }
        JsonNode in = root.path("input");
        Input input = new Input(text(file, null, in, "name"), integer(file, INPUT, in, "channels"),
                integer(file, INPUT, in, "height"), integer(file, INPUT, in, "width"));
        if (!INPUT.equals(input.name())) {
            throw new ZooGraphException(file, "the input is named '" + input.name() + "'; nodes read it as '" + INPUT + "'");
        }
        JsonNode list = root.path("nodes");
        if (!list.isArray() || list.isEmpty()) {
            throw new ZooGraphException(file, "'nodes' must be a non-empty array");
        }
        List<Node> nodes = new ArrayList<>();
        for (JsonNode n : list) {
            nodes.add(node(file, n));
        }
        Map<String, Range> ranges = new LinkedHashMap<>();
        JsonNode r = root.path("ranges");
        if (!r.isMissingNode() && !r.isObject()) {
            throw new ZooGraphException(file, "'ranges' must be an object of [min, max] by node name");
        }
        for (Map.Entry<String, JsonNode> e : iterable(r)) {
            JsonNode v = e.getValue();
            if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()) {
                throw new ZooGraphException(file, "range of '" + e.getKey() + "' must be [min, max], got " + v);
            }
            try {
                ranges.put(e.getKey(), new Range(v.get(0).floatValue(), v.get(1).floatValue()));
            } catch (IllegalArgumentException ex) {
                throw new ZooGraphException(file, "range of '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
        JsonNode c = root.path("calibration");
        CalibrationSet calibration = c.isObject()
                ? new CalibrationSet(c.path("split").asText(""), c.path("count").asInt(0), c.path("seed").asLong(0)) : null;
        return new ZooGraph(file, root.path("name").asText(""), input, nodes, text(file, null, root, "output"), weights,
                ranges, calibration);
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }

    private static Node node(Path file, JsonNode n) {
        if (!n.isObject()) {
            throw new ZooGraphException(file, "every node must be an object, got " + n);
        }
        String name = text(file, null, n, "name");
        String op = text(file, name, n, "op");
        JsonNode ins = n.path("inputs");
        if (!ins.isArray()) {
            throw new ZooGraphException(file, name, "'inputs' must be an array of node names");
        }
        List<String> inputs = new ArrayList<>();
        for (JsonNode i : ins) {
            if (!i.isTextual()) {
                throw new ZooGraphException(file, name, "'inputs' must be an array of node names, got " + ins);
            }
            inputs.add(i.asText());
        }
        int arity = switch (op) {
            case "add" -> 2;
            case "concat" -> -1;
            default -> 1;
        };
        if (arity > 0 && inputs.size() != arity || arity < 0 && inputs.size() < 2) {
            throw new ZooGraphException(file, name, op + " takes " + (arity > 0 ? String.valueOf(arity) : "at least 2")
                    + " inputs, got " + inputs);
        }
        return switch (op) {
            case "conv2d" -> new Conv2d(name, inputs.get(0), integer(file, name, n, "outChannels"), integer(file, name, n, "kernel"),
                    integer(file, name, n, "stride"), nonNegative(file, name, n, "padding"), integer(file, name, n, "groups"),
                    activation(file, name, n), text(file, name, n, "weight"), text(file, name, n, "bias"));
            case "add" -> new Add(name, inputs.get(0), inputs.get(1), activation(file, name, n));
            case "concat" -> new Concat(name, inputs);
            case "maxpool" -> new MaxPool(name, inputs.get(0), integer(file, name, n, "kernel"), integer(file, name, n, "stride"),
                    nonNegative(file, name, n, "padding"));
            case "globalavgpool" -> new GlobalAvgPool(name, inputs.get(0));
            case "linear" -> new Linear(name, inputs.get(0), integer(file, name, n, "outFeatures"), text(file, name, n, "weight"),
                    text(file, name, n, "bias"));
            default -> throw new ZooGraphException(file, name, "unknown op '" + op
                    + "'; known: conv2d, add, concat, maxpool, globalavgpool, linear");
        };
    }

    private static Activation activation(Path file, String node, JsonNode n) {
        String a = text(file, node, n, "activation");
        for (Activation v : Activation.values()) {
            if (v.jsonName().equals(a)) {
                return v;
            }
        }
        throw new ZooGraphException(file, node, "unknown activation '" + a + "'; known: none, relu, relu6");
    }

    private static String text(Path file, String node, JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            String problem = "needs a non-empty string '" + field + "'";
            throw node == null ? new ZooGraphException(file, problem) : new ZooGraphException(file, node, problem);
        }
        return v.asText();
    }

    private static int integer(Path file, String node, JsonNode n, String field) {
        int v = nonNegative(file, node, n, field);
        if (v < 1) {
            throw new ZooGraphException(file, node, "'" + field + "' must be positive, got " + v);
        }
        return v;
    }

    private static int nonNegative(Path file, String node, JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            throw new ZooGraphException(file, node, "needs a non-negative integer '" + field + "', got "
                    + (v.isMissingNode() ? "nothing" : v.toString()));
        }
        return v.asInt();
    }

    /** Checks references, weights and shapes; returns every node's output shape. */
    private final class Validator {

        private final Map<String, int[]> shapes = new LinkedHashMap<>();

        Map<String, int[]> check() {
            shapes.put(INPUT, new int[] {input.channels(), input.height(), input.width()});
            Map<String, Node> byName = new HashMap<>();
            for (Node n : nodes) {
                if (n.name().equals(INPUT) || byName.put(n.name(), n) != null) {
                    throw new ZooGraphException(file, n.name(), "the name is used twice");
                }
            }
            for (Node n : nodes) {
                for (String in : n.inputs()) {
                    if (!shapes.containsKey(in)) {
                        throw new ZooGraphException(file, n.name(), byName.containsKey(in) ? orderProblem(n, in, byName)
                                : "reads '" + in + "', which is neither 'input' nor a node of the graph");
                    }
                }
                shapes.put(n.name(), shape(n));
            }
            if (!byName.containsKey(output)) {
                throw new ZooGraphException(file, "the output '" + output + "' is not a node of the graph");
            }
            if (shapes.get(output).length != 1) {
                throw new ZooGraphException(file, output, "the output must be a vector of logits, got shape "
                        + Arrays.toString(shapes.get(output)));
            }
            return Collections.unmodifiableMap(shapes);
        }

        /** A forward reference is either a cycle or nodes listed out of execution order. */
        private String orderProblem(Node n, String in, Map<String, Node> byName) {
            List<String> path = new ArrayList<>();
            if (reaches(in, n.name(), byName, path, new HashSet<>())) {
                return "the graph has a cycle: " + n.name() + " <- " + String.join(" <- ", path);
            }
            return "reads '" + in + "', which comes later in the list; nodes must be listed in execution order";
        }

        /** True when following inputs from {@code from} leads to {@code target}; fills {@code path}. */
        private boolean reaches(String from, String target, Map<String, Node> byName, List<String> path, Set<String> seen) {
            path.add(from);
            if (from.equals(target)) {
                return true;
            }
            Node n = byName.get(from);
            if (n != null && seen.add(from)) {
                for (String in : n.inputs()) {
                    if (reaches(in, target, byName, path, seen)) {
                        return true;
                    }
                }
            }
            path.remove(path.size() - 1);
            return false;
        }

        private int[] image(Node n, String in) {
            int[] s = shapes.get(in);
            if (s.length != 3) {
                throw new ZooGraphException(file, n.name(), "needs an image [C,H,W] from '" + in + "', which gives "
                        + Arrays.toString(s));
            }
            return s;
        }

        private int[] shape(Node node) {
            if (node instanceof Conv2d c) {
                return conv(c);
            }
            if (node instanceof Add a) {
                int[] x = shapes.get(a.a());
                if (!Arrays.equals(x, shapes.get(a.b()))) {
                    throw new ZooGraphException(file, a.name(), "adds shapes " + Arrays.toString(x) + " ('" + a.a()
                            + "') and " + Arrays.toString(shapes.get(a.b())) + " ('" + a.b() + "'); they must be equal");
                }
                return x.clone();
            }
            if (node instanceof Concat c) {
                int[] first = image(c, c.inputs().get(0));
                int channels = 0;
                for (String in : c.inputs()) {
                    int[] s = image(c, in);
                    if (s[1] != first[1] || s[2] != first[2]) {
                        throw new ZooGraphException(file, c.name(), "concatenates " + Arrays.toString(first) + " and "
                                + Arrays.toString(s) + " ('" + in + "'); height and width must be equal");
                    }
                    channels += s[0];
                }
                return new int[] {channels, first[1], first[2]};
            }
            if (node instanceof MaxPool m) {
                int[] s = image(m, m.input());
                if (2 * m.padding() > m.kernel()) {
                    throw new ZooGraphException(file, m.name(), "padding " + m.padding() + " must be at most half the kernel "
                            + m.kernel() + " (as in PyTorch)");
                }
                return new int[] {s[0], out(m, s[1], m.kernel(), m.stride(), m.padding()),
                        out(m, s[2], m.kernel(), m.stride(), m.padding())};
            }
            if (node instanceof GlobalAvgPool g) {
                return new int[] {image(g, g.input())[0]};
            }
            Linear l = (Linear) node;
            int[] s = shapes.get(l.input());
            if (s.length != 1) {
                throw new ZooGraphException(file, l.name(), "needs a vector from '" + l.input() + "', which gives "
                        + Arrays.toString(s) + " (put a globalavgpool before it)");
            }
            checkWeight(l, l.weight(), l.outFeatures(), s[0]);
            checkWeight(l, l.bias(), l.outFeatures());
            return new int[] {l.outFeatures()};
        }

        private int[] conv(Conv2d c) {
            int[] s = image(c, c.input());
            int in = s[0];
            boolean depthwise = c.groups() == in && in > 1;
            if (c.groups() != 1 && !depthwise) {
                throw new ZooGraphException(file, c.name(), "groups " + c.groups() + " with " + in
                        + " input channels: only 1 (dense) or the input channels (depthwise) are supported");
            }
            if (depthwise && c.outChannels() % in != 0) {
                throw new ZooGraphException(file, c.name(), "depthwise output channels " + c.outChannels()
                        + " must be a multiple of the " + in + " input channels");
            }
            checkWeight(c, c.weight(), c.outChannels(), in / c.groups(), c.kernel(), c.kernel());
            checkWeight(c, c.bias(), c.outChannels());
            return new int[] {c.outChannels(), out(c, s[1], c.kernel(), c.stride(), c.padding()),
                    out(c, s[2], c.kernel(), c.stride(), c.padding())};
        }

        private int out(Node n, int size, int kernel, int stride, int padding) {
            int o = Math.floorDiv(size + 2 * padding - kernel, stride) + 1;
            if (o < 1) {
                throw new ZooGraphException(file, n.name(), "a " + kernel + "-pixel window with padding " + padding
                        + " does not fit " + size + " pixels");
            }
            return o;
        }

        private void checkWeight(Node n, String key, int... shape) {
            FloatArray w = weights.get(key);
            if (w == null) {
                throw new ZooGraphException(file, n.name(), "weight '" + key + "' is not in the weights file");
            }
            if (!Arrays.equals(w.shape(), shape)) {
                throw new ZooGraphException(file, n.name(), "weight '" + key + "' has shape " + Arrays.toString(w.shape())
                        + ", the node needs " + Arrays.toString(shape));
            }
        }
    }

    /** The graph file it was read from (for messages). */
    public Path file() {
        return file;
    }

    /** Architecture name, e.g. {@code resnet}. */
    public String name() {
        return name;
    }

    /** The image input. */
    public Input input() {
        return input;
    }

    /** Nodes in execution order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** Name of the node whose output is the logits. */
    public String output() {
        return output;
    }

    /** Number of logits. */
    public int numClasses() {
        return shapes.get(output)[0];
    }

    /** Output shape of a node (or {@code input}) for one image: {@code [C,H,W]} or {@code [F]}. */
    public int[] shape(String node) {
        int[] s = shapes.get(node);
        if (s == null) {
            throw new IllegalArgumentException("no node '" + node + "' in " + file);
        }
        return s.clone();
    }

    /** A weight array by key (PyTorch layout). */
    public FloatArray weight(String key) {
        FloatArray w = weights.get(Objects.requireNonNull(key, "key"));
        if (w == null) {
            throw new IllegalArgumentException("no weight '" + key + "' in " + file);
        }
        return w;
    }

    /** Every weight array by key. */
    public Map<String, FloatArray> weights() {
        return weights;
    }

    /** Output ranges over the calibration images by node name, including {@code input}; may be empty. */
    public Map<String, Range> ranges() {
        return ranges;
    }

    /** Where the ranges were measured, or null when the graph does not say. */
    public CalibrationSet calibration() {
        return calibration;
    }

    /**
     * The names of the graph's nodes (and {@code input}) that have no range: int8 export needs none missing.
     */
    public List<String> nodesWithoutRange() {
        List<String> missing = new ArrayList<>();
        for (String n : shapes.keySet()) {
            if (!ranges.containsKey(n)) {
                missing.add(n);
            }
        }
        return missing;
    }

    @Override
    public String toString() {
        return "ZooGraph[" + name + ", " + nodes.size() + " nodes, " + file + "]";
    }
}
