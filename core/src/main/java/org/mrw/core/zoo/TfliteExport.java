package org.mrw.core.zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Variant;
import org.mrw.core.model.tflite.Calibration;
import org.mrw.core.model.tflite.TfliteModelWriter;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.mrw.core.model.tflite.TfliteModelWriter.Padding;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;
import org.mrw.core.model.tflite.WeightLayouts;

/**
 * Writes a {@link ZooGraph} as float32 and full-int8 {@code .tflite} files with {@link TfliteModelWriter},
 * each with its descriptor JSON beside it ({@code model.tflite.json}). The int8 model is calibrated
 * with the graph's own {@link ZooGraph#ranges() ranges}, measured by the Python build on training
 * images disjoint from the test split: the test split never informs the quantization.
 */
public final class TfliteExport {

    private TfliteExport() {
    }

    /** Writes the float32 model to {@code file} and its descriptor beside it. */
    public static void writeFloat32(ZooGraph graph, Path file) throws IOException {
        Built b = build(graph);
        write(file, b.writer().toFloat32(), ZooDescriptors.nhwc(graph, Variant.FLOAT));
    }

    /**
     * Writes the full-int8 model (int8 input and output) to {@code file} and its descriptor beside it.
     *
     * @throws ZooGraphException when the graph lacks the range of a node
     */
    public static void writeInt8(ZooGraph graph, Path file) throws IOException {
        List<String> missing = graph.nodesWithoutRange();
        if (!missing.isEmpty()) {
            throw new ZooGraphException(graph.file(), "int8 export needs the calibration range of every node, missing: "
                    + String.join(", ", missing));
        }
        Built b = build(graph);
        Calibration calibration = Calibration.empty();
        for (Map.Entry<String, Node> e : b.nodes().entrySet()) {
            ZooGraph.Range r = graph.ranges().get(e.getKey());
            calibration = calibration.with(e.getValue(), r.min(), r.max());
        }
        write(file, b.writer().toInt8(calibration), ZooDescriptors.nhwc(graph, Variant.INT8));
    }

    private static void write(Path file, byte[] model, InputSpec spec) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(file, model);
        spec.write(InputSpec.besideModel(file));
    }

    /** The writer holding the graph, and its node for each graph node name (and {@code input}). */
    private record Built(TfliteModelWriter writer, Map<String, Node> nodes) {
    }

    private static Built build(ZooGraph graph) {
        TfliteModelWriter w = new TfliteModelWriter("mrw zoo " + graph.name());
        Map<String, Node> nodes = new HashMap<>();
        ZooGraph.Input in = graph.input();
        nodes.put(ZooGraph.INPUT, w.input(in.height(), in.width(), in.channels()));
        for (ZooGraph.Node node : graph.nodes()) {
            nodes.put(node.name(), node(w, graph, node, nodes));
        }
        w.output(nodes.get(graph.output()));
        return new Built(w, nodes);
    }

    private static Node node(TfliteModelWriter w, ZooGraph graph, ZooGraph.Node node, Map<String, Node> nodes) {
        if (node instanceof ZooGraph.Conv2d c) {
            Node x = nodes.get(c.input());
            int inChannels = graph.shape(c.input())[0];
            float[] weight = graph.weight(c.weight()).values();
            float[] bias = graph.weight(c.bias()).values();
            // The writer turns PyTorch's symmetric padding into SAME, VALID or PAD + VALID, whichever matches.
            return c.groups() == 1
                    ? w.conv2d(x, WeightLayouts.conv2dFromTorch(weight, c.outChannels(), inChannels, c.kernel(), c.kernel()),
                            bias, c.stride(), c.padding(), activation(c.activation()))
                    : w.depthwiseConv2d(x, WeightLayouts.depthwiseFromTorch(weight, c.outChannels(), c.kernel(), c.kernel()),
                            bias, c.stride(), c.padding(), activation(c.activation()));
        }
        if (node instanceof ZooGraph.Add a) {
            return w.add(nodes.get(a.a()), nodes.get(a.b()), activation(a.activation()));
        }
        if (node instanceof ZooGraph.Concat c) {
            return w.concatenate(c.inputs().stream().map(nodes::get).toArray(Node[]::new));
        }
        if (node instanceof ZooGraph.MaxPool m) {
            return w.maxPool(nodes.get(m.input()), m.kernel(), m.stride(),
                    PoolPadding.same(graph, m) ? Padding.SAME : Padding.VALID);
        }
        if (node instanceof ZooGraph.GlobalAvgPool p) {
            return w.globalAveragePool(nodes.get(p.input()));
        }
        ZooGraph.Linear l = (ZooGraph.Linear) node;
        int inFeatures = graph.shape(l.input())[0];
        return w.fullyConnected(nodes.get(l.input()), Weights.of(graph.weight(l.weight()).values(), l.outFeatures(), inFeatures),
                graph.weight(l.bias()).values(), Activation.NONE);
    }

    private static Activation activation(ZooGraph.Activation a) {
        return switch (a) {
            case NONE -> Activation.NONE;
            case RELU -> Activation.RELU;
            case RELU6 -> Activation.RELU6;
        };
    }
}
