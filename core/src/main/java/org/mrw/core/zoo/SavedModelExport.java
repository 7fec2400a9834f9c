package org.mrw.core.zoo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mrw.core.data.NpzArrays.FloatArray;
import org.mrw.core.engine.Engines;
import org.mrw.core.model.Variant;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * Builds a TensorFlow SavedModel from a {@link ZooGraph} with TF Java: input placeholder {@code input}
 * {@code [-1,H,W,C]} (NHWC), output {@code logits}, signature {@code serving_default}, weights in
 * variables (a real {@code variables/} checkpoint, the layout both DJL and TF Java load), and
 * {@code mrw.json} beside them. Loadable for inference and for input gradients.
 *
 * <p>The graph computes what PyTorch computes, not TensorFlow's defaults: convolutions pad
 * symmetrically with zeros ({@code Pad} + {@code VALID}, where TF's {@code SAME} would put the odd
 * pixel at the bottom/right), max pooling pads only where {@code SAME} computes PyTorch's windows (see
 * {@link PoolPadding}), depthwise convolutions use {@code DepthwiseConv2dNative}, global average pooling is a mean
 * over H and W, and linear layers multiply by the transposed {@code [out,in]} weight.
 */
public final class SavedModelExport {

    /** Name of the input placeholder and the signature input. */
    public static final String INPUT = "input";

    /** Name of the logits tensor and the signature output. */
    public static final String LOGITS = "logits";

    private SavedModelExport() {
    }

    /**
     * Exports {@code graph} to the folder {@code dir}, replacing a SavedModel already there.
     *
     * @return {@code dir}
     * @throws IllegalArgumentException when {@code dir} exists and is neither empty nor a SavedModel
     */
    public static Path export(ZooGraph graph, Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        boolean replace = Files.isDirectory(target) && !isEmpty(target);
        if (replace && !Files.isRegularFile(target.resolve("saved_model.pb"))) {
            throw new IllegalArgumentException("Will not overwrite " + target + ": it exists and is not a SavedModel folder");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IllegalArgumentException("Will not overwrite " + target + ": it is a file, not a SavedModel folder");
        }
        Files.createDirectories(target.getParent());
        // Build beside the target and swap at the end, so a failed export leaves the old model intact.
        Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".export-");
        Files.delete(staging);
        try {
            write(graph, staging);
            ZooDescriptors.nhwc(graph, Variant.FLOAT).write(staging.resolve("mrw.json"));
            if (replace) {
                deleteTree(target);
            } else if (Files.isDirectory(target)) {
                Files.delete(target);
            }
            Files.move(staging, target);
        } finally {
            if (Files.exists(staging)) {
                deleteTree(staging);
            }
        }
        return dir;
    }

    private static void write(ZooGraph graph, Path dir) {
        Engines.tensorflow();
        ZooGraph.Input in = graph.input();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> input = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, in.height(), in.width(), in.channels())));
            Map<String, Operand<TFloat32>> values = new HashMap<>();
            values.put(ZooGraph.INPUT, input);
            for (ZooGraph.Node node : graph.nodes()) {
                values.put(node.name(), tf.withName("node." + node.name()).identity(op(tf, graph, node, values)));
            }
            Operand<TFloat32> logits = tf.withName(LOGITS).identity(values.get(graph.output()));
            try (Session session = new Session(g)) {
                session.initialize();
                Signature signature = Signature.builder().key(Signature.DEFAULT_KEY).input(INPUT, input).output(LOGITS, logits).build();
                SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(signature).export();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot export a SavedModel to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The TensorFlow ops for one node (NHWC). */
    private static Operand<TFloat32> op(Ops tf, ZooGraph graph, ZooGraph.Node node, Map<String, Operand<TFloat32>> values) {
        if (node instanceof ZooGraph.Conv2d c) {
            Operand<TFloat32> x = values.get(c.input());
            int inChannels = graph.shape(c.input())[0];
            FloatArray w = graph.weight(c.weight());
            Operand<TFloat32> padded = c.padding() == 0 ? x : pad(tf, x, c.padding());
            List<Long> strides = List.of(1L, (long) c.stride(), (long) c.stride(), 1L);
            Operand<TFloat32> conv;
            if (c.groups() == 1) {
                conv = tf.nn.conv2d(padded, variable(tf, c.weight(), hwio(w.values(), c.outChannels(), inChannels, c.kernel()),
                        c.kernel(), c.kernel(), inChannels, c.outChannels()), strides, "VALID");
            } else {
                int multiplier = c.outChannels() / inChannels;
                conv = tf.nn.depthwiseConv2dNative(padded, variable(tf, c.weight(), depthwise(w.values(), c.outChannels(), c.kernel()),
                        c.kernel(), c.kernel(), inChannels, multiplier), strides, "VALID");
            }
            return activate(tf, tf.nn.biasAdd(conv, variable(tf, c.bias(), graph.weight(c.bias()).values(), c.outChannels())),
                    c.activation());
        }
        if (node instanceof ZooGraph.Add a) {
            return activate(tf, tf.math.add(values.get(a.a()), values.get(a.b())), a.activation());
        }
        if (node instanceof ZooGraph.Concat c) {
            List<Operand<TFloat32>> parts = new ArrayList<>();
            for (String name : c.inputs()) {
                parts.add(values.get(name));
            }
            return tf.concat(parts, tf.constant(3));
        }
        if (node instanceof ZooGraph.MaxPool m) {
            return tf.nn.maxPool(values.get(m.input()), tf.constant(new int[] {1, m.kernel(), m.kernel(), 1}),
                    tf.constant(new int[] {1, m.stride(), m.stride(), 1}), PoolPadding.same(graph, m) ? "SAME" : "VALID");
        }
        if (node instanceof ZooGraph.GlobalAvgPool p) {
            return tf.math.mean(values.get(p.input()), tf.constant(new int[] {1, 2}));
        }
        ZooGraph.Linear l = (ZooGraph.Linear) node;
        int inFeatures = graph.shape(l.input())[0];
        Operand<TFloat32> w = variable(tf, l.weight(), graph.weight(l.weight()).values(), l.outFeatures(), inFeatures);
        return tf.nn.biasAdd(tf.linalg.matMul(values.get(l.input()), w, MatMul.transposeB(true)),
                variable(tf, l.bias(), graph.weight(l.bias()).values(), l.outFeatures()));
    }

    private static Operand<TFloat32> pad(Ops tf, Operand<TFloat32> x, int p) {
        return tf.pad(x, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
    }

    private static Operand<TFloat32> activate(Ops tf, Operand<TFloat32> x, ZooGraph.Activation activation) {
        return switch (activation) {
            case NONE -> x;
            case RELU -> tf.nn.relu(x);
            case RELU6 -> tf.nn.relu6(x);
        };
    }

    private static Operand<TFloat32> variable(Ops tf, String name, float[] values, long... shape) {
        return tf.withName(name).variable(tf.constant(Shape.of(shape), DataBuffers.of(values, true, false)));
    }

    /** PyTorch {@code [O,I,kH,kW]} to TensorFlow's {@code Conv2D} filter {@code [kH,kW,I,O]}. */
    static float[] hwio(float[] oihw, int out, int in, int k) {
        float[] r = new float[oihw.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < k; y++) {
                    for (int x = 0; x < k; x++) {
                        r[((y * k + x) * in + i) * out + o] = oihw[((o * in + i) * k + y) * k + x];
                    }
                }
            }
        }
        return r;
    }

    /**
     * PyTorch depthwise {@code [C*m,1,kH,kW]} to {@code DepthwiseConv2dNative}'s {@code [kH,kW,C,m]}: output
     * channel {@code c*m+j} of both reads input channel {@code c}, so it is a plain transpose to {@code [kH,kW,C*m]}.
     */
    static float[] depthwise(float[] o1hw, int out, int k) {
        float[] r = new float[o1hw.length];
        for (int o = 0; o < out; o++) {
            for (int y = 0; y < k; y++) {
                for (int x = 0; x < k; x++) {
                    r[(y * k + x) * out + o] = o1hw[(o * k + y) * k + x];
                }
            }
        }
        return r;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
