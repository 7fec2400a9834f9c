package org.mrw.core.model.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.engine.Engines;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Preprocessor;
import org.tensorflow.lite.Interpreter;

/**
 * Builds a CNN graph from float weights and writes it as a {@code .tflite} flatbuffer, float32 or
 * full-integer int8, without the TensorFlow converter: the model zoo turns PyTorch-trained weights
 * into TFLite models with it.
 *
 * <h2>Graph</h2>
 * One image input, NHWC, batch 1 in the file with a resizable batch dimension ({@code shape_signature
 * [-1,H,W,C]}); every method adds one operator and returns the {@link Node} it computes. Nodes may
 * feed several operators (DAGs: residual adds, concatenations). Supported operators, with the weight
 * layout each expects ({@link WeightLayouts} converts from PyTorch's):
 * <ul>
 *   <li>{@link #conv2d CONV_2D}: weights {@code [O,H,W,I]}, bias {@code [O]}, fused NONE/RELU/RELU6,
 *       SAME or VALID padding, or PyTorch-style symmetric padding (becomes SAME, VALID or PAD+VALID);</li>
 *   <li>{@link #depthwiseConv2d DEPTHWISE_CONV_2D}: weights {@code [1,H,W,C*m]} (output channel
 *       {@code c*m+k} reads input channel {@code c}), bias {@code [C*m]};</li>
 *   <li>{@link #fullyConnected FULLY_CONNECTED}: input {@code [1,I]}, weights {@code [O,I]}, bias {@code [O]};</li>
 *   <li>{@link #add ADD} of two equal shapes; {@link #concatenate CONCATENATION} on channels;</li>
 *   <li>{@link #maxPool MAX_POOL_2D}, {@link #averagePool AVERAGE_POOL_2D} (square window; with SAME
 *       padding TFLite averages only the pixels inside the image, unlike PyTorch's default
 *       {@code count_include_pad=True});</li>
 *   <li>{@link #globalAveragePool MEAN} over height and width, giving {@code [1,C]};</li>
 *   <li>{@link #reshape RESHAPE}, {@link #flatten} (NHWC order: see {@link WeightLayouts#fullyConnectedAfterFlatten});</li>
 *   <li>{@link #softmax SOFTMAX}; {@link #pad PAD} of height and width with zeros.</li>
 * </ul>
 * Strides are equal along height and width and pooling windows square; dilation, grouped
 * (non-depthwise) convolution and broadcasting adds are not supported.
 *
 * <h2>int8</h2>
 * {@link #toInt8} writes what the TFLite converter's full-integer post-training quantization writes:
 * int8 input and output; activations per-tensor asymmetric int8, {@code scale = (max-min)/255} from a
 * {@link Calibration} range widened to hold 0; convolution weights per-output-channel symmetric int8
 * ({@code scale[c] = max|w_c|/127}, zero point 0, quantized dimension 0, or 3 for depthwise);
 * fully-connected weights per-tensor symmetric, because TFLite 2.6's int8 FULLY_CONNECTED kernel takes no
 * per-channel scales; biases int32 with {@code scale[c] = inputScale * weightScale[c]}. Where 2.6's int8
 * kernels copy values without requantizing (concatenation, pooling, reshape, pad) their inputs and output
 * share one quantization, the union of their ranges; softmax outputs use the fixed {@code 1/256, -128}.
 *
 * <p>Ranges come from {@link #calibrate}, which runs the float model itself in the TFLite interpreter
 * on calibration inputs (so the ranges are those of the float kernels the int8 model approximates),
 * or from the caller, or both. They are plain minima and maxima, as the converter takes them; values
 * beyond them saturate, which costs far more accuracy than rounding does (on random test images, a
 * depthwise output clipped by 13 steps where rounding alone moved it by 1.3): calibrate on a few
 * hundred images drawn like the ones the model will see.
 *
 * <pre>{@code
 * TfliteModelWriter w = new TfliteModelWriter("lenet");
 * Node x = w.input(28, 28, 1);
 * Node h = w.conv2d(x, WeightLayouts.conv2dFromTorch(convW, 8, 1, 3, 3), convB, 1, 1, Activation.RELU);
 * Node y = w.fullyConnected(w.flatten(w.maxPool(h, 2, 2, Padding.VALID)), fcW, fcB, Activation.NONE);
 * w.output(y);
 * w.writeFloat32(dir.resolve("lenet.tflite"));
 * w.writeInt8(dir.resolve("lenet_int8.tflite"), w.calibrate(calibrationImages, spec).with(x, 0f, 1f));
 * }</pre>
 * Not thread-safe.
 */
public final class TfliteModelWriter {

    /** Activations TFLite fuses into the preceding operator. */
    public enum Activation { NONE, RELU, RELU6 }

    /**
     * TFLite's padding modes. SAME pads {@code (out-1)*stride + k - in} pixels in total, the odd one at
     * the bottom/right (PyTorch pads symmetrically); VALID pads nothing.
     */
    public enum Padding { SAME, VALID }

    /** An activation tensor of the graph being built; shapes are for batch 1. */
    public static final class Node {

        private final TfliteModelWriter owner;
        private final int id;
        private final String name;
        private final int[] shape;

        private Node(TfliteModelWriter owner, int id, String name, int[] shape) {
            this.owner = owner;
            this.id = id;
            this.name = name;
            this.shape = shape;
        }

        /** Tensor name in the written file, e.g. {@code conv2d_3}. */
        public String name() {
            return name;
        }

        /** Shape for one image: {@code [1,H,W,C]} or {@code [1,N]}. */
        public int[] shape() {
            return shape.clone();
        }

        int id() {
            return id;
        }

        int[] shapeRef() {
            return shape;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /**
     * Float weights with their shape, row-major.
     *
     * @param values {@code product(shape)} values
     * @param shape  dimensions, each positive
     */
    public record Weights(float[] values, int[] shape) {

        public Weights {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(shape, "shape");
            long n = 1;
            for (int d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException("weight shape " + Arrays.toString(shape) + " has a dimension below 1");
                }
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("weight shape " + Arrays.toString(shape) + " needs " + n
                        + " values, got " + values.length);
            }
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("weights must be finite, found " + v);
                }
            }
            values = values.clone();
            shape = shape.clone();
        }

        /** Weights of the given shape. */
        public static Weights of(float[] values, int... shape) {
            return new Weights(values, shape);
        }

        /** A copy of the values. */
        @Override
        public float[] values() {
            return values.clone();
        }

        /** A copy of the shape. */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        float[] valuesRef() {
            return values;
        }

        int dim(int i) {
            return shape[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Weights w && Arrays.equals(values, w.values) && Arrays.equals(shape, w.shape);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "Weights" + Arrays.toString(shape);
        }
    }

    /** Images per interpreter call while calibrating. */
    private static final int CALIBRATION_BATCH = 32;

    private final String description;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private final List<Node> outputs = new ArrayList<>();
    private Node input;

    /** A writer for one model; {@code description} is stored in the file. */
    public TfliteModelWriter(String description) {
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The image input, {@code [1,height,width,channels]}; call once, first. */
    public Node input(int height, int width, int channels) {
        if (input != null) {
            throw new IllegalStateException("the graph already has an input");
        }
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("input shape " + height + "x" + width + "x" + channels + " must be positive");
        }
        input = node("input", 1, height, width, channels);
        return input;
    }

    /**
     * CONV_2D with TFLite padding.
     *
     * @param weights {@code [O,H,W,I]}, I equal to the input's channels
     * @param bias    {@code O} values, or null for none
     */
    public Node conv2d(Node x, Weights weights, float[] bias, int stride, Padding padding, Activation activation) {
        int[] s = image(x, "conv2d");
        if (weights.shape.length != 4 || weights.dim(3) != s[3]) {
            throw new IllegalArgumentException("conv2d weights must be [O,H,W,I] with I = " + s[3] + " input channels, got "
                    + Arrays.toString(weights.shape));
        }
        int o = weights.dim(0);
        Node out = node("conv2d", 1, outSize(s[1], weights.dim(1), stride, padding), outSize(s[2], weights.dim(2), stride, padding), o);
        layers.add(new Layer.Conv2d(x, out, weights, biasOf(bias, o), stride, Objects.requireNonNull(padding),
                Objects.requireNonNull(activation)));
        return out;
    }

    /**
     * CONV_2D with PyTorch's symmetric zero padding of {@code padding} pixels on every side: written as
     * SAME or VALID when one of them computes the same windows, else as PAD followed by VALID.
     */
    public Node conv2d(Node x, Weights weights, float[] bias, int stride, int padding, Activation activation) {
        int[] s = image(x, "conv2d");
        checkWeightsRank(weights, "conv2d");
        Padding mode = torchPadding(s, weights.dim(1), weights.dim(2), stride, padding);
        return conv2d(mode != null ? x : pad(x, padding, padding, padding, padding), weights, bias, stride,
                mode != null ? mode : Padding.VALID, activation);
    }

    /**
     * DEPTHWISE_CONV_2D with TFLite padding.
     *
     * @param weights {@code [1,H,W,C*m]} for C input channels and depth multiplier m
     * @param bias    {@code C*m} values, or null
     */
    public Node depthwiseConv2d(Node x, Weights weights, float[] bias, int stride, Padding padding, Activation activation) {
        int[] s = image(x, "depthwiseConv2d");
        if (weights.shape.length != 4 || weights.dim(0) != 1 || weights.dim(3) % s[3] != 0) {
            throw new IllegalArgumentException("depthwise weights must be [1,H,W,C*m] with C = " + s[3] + " input channels, got "
                    + Arrays.toString(weights.shape));
        }
        int o = weights.dim(3);
        Node out = node("depthwise_conv2d", 1, outSize(s[1], weights.dim(1), stride, padding),
                outSize(s[2], weights.dim(2), stride, padding), o);
        layers.add(new Layer.DepthwiseConv2d(x, out, weights, biasOf(bias, o), stride, Objects.requireNonNull(padding),
                Objects.requireNonNull(activation), o / s[3]));
        return out;
    }

    /** DEPTHWISE_CONV_2D with PyTorch's symmetric zero padding (see {@link #conv2d(Node, Weights, float[], int, int, Activation)}). */
    public Node depthwiseConv2d(Node x, Weights weights, float[] bias, int stride, int padding, Activation activation) {
        int[] s = image(x, "depthwiseConv2d");
        checkWeightsRank(weights, "depthwiseConv2d");
        Padding mode = torchPadding(s, weights.dim(1), weights.dim(2), stride, padding);
        return depthwiseConv2d(mode != null ? x : pad(x, padding, padding, padding, padding), weights, bias, stride,
                mode != null ? mode : Padding.VALID, activation);
    }

    /**
     * FULLY_CONNECTED on a {@code [1,I]} node.
     *
     * @param weights {@code [O,I]} (PyTorch's {@code Linear.weight} as it is)
     * @param bias    {@code O} values, or null
     */
    public Node fullyConnected(Node x, Weights weights, float[] bias, Activation activation) {
        int[] s = x.shapeRef();
        owned(x);
        if (s.length != 2) {
            throw new IllegalArgumentException("fullyConnected takes a [1,N] node, got " + x + "; flatten it first");
        }
        if (weights.shape.length != 2 || weights.dim(1) != s[1]) {
            throw new IllegalArgumentException("fullyConnected weights must be [O,I] with I = " + s[1] + ", got "
                    + Arrays.toString(weights.shape));
        }
        int o = weights.dim(0);
        Node out = node("fully_connected", 1, o);
        layers.add(new Layer.FullyConnected(x, out, weights, biasOf(bias, o), Objects.requireNonNull(activation)));
        return out;
    }

    /** Element-wise ADD of two nodes of the same shape (a residual connection). */
    public Node add(Node a, Node b, Activation activation) {
        owned(a);
        owned(b);
        if (!Arrays.equals(a.shapeRef(), b.shapeRef())) {
            throw new IllegalArgumentException("add needs equal shapes, got " + a + " and " + b);
        }
        Node out = node("add", a.shapeRef().clone());
        layers.add(new Layer.Add(a, b, out, Objects.requireNonNull(activation)));
        return out;
    }

    /** CONCATENATION along the channel (last) axis of nodes that agree on every other dimension. */
    public Node concatenate(Node... xs) {
        if (xs.length < 2) {
            throw new IllegalArgumentException("concatenate needs at least two nodes");
        }
        int[] shape = xs[0].shapeRef().clone();
        int last = shape.length - 1;
        shape[last] = 0;
        for (Node x : xs) {
            owned(x);
            int[] s = x.shapeRef();
            if (s.length != shape.length || !Arrays.equals(s, 0, last, shape, 0, last)) {
                throw new IllegalArgumentException("concatenate needs equal shapes but for the last axis, got "
                        + Arrays.stream(xs).map(Node::toString).collect(Collectors.joining(", ")));
            }
            shape[last] += s[last];
        }
        Node out = node("concatenation", shape);
        layers.add(new Layer.Concatenation(List.of(xs), out));
        return out;
    }

    /** MAX_POOL_2D with a {@code size x size} window (SAME padding never picks a padded value). */
    public Node maxPool(Node x, int size, int stride, Padding padding) {
        return pool(true, x, size, stride, padding);
    }

    /** AVERAGE_POOL_2D with a {@code size x size} window (SAME averages only pixels inside the image). */
    public Node averagePool(Node x, int size, int stride, Padding padding) {
        return pool(false, x, size, stride, padding);
    }

    private Node pool(boolean max, Node x, int size, int stride, Padding padding) {
        int[] s = image(x, max ? "maxPool" : "averagePool");
        Node out = node(max ? "max_pool2d" : "average_pool2d", 1, outSize(s[1], size, stride, padding),
                outSize(s[2], size, stride, padding), s[3]);
        layers.add(new Layer.Pool2d(max, x, out, size, stride, Objects.requireNonNull(padding)));
        return out;
    }

    /** Global average pooling: MEAN over height and width, {@code [1,H,W,C] -> [1,C]}. */
    public Node globalAveragePool(Node x) {
        int[] s = image(x, "globalAveragePool");
        Node out = node("mean", 1, s[3]);
        layers.add(new Layer.Mean(x, out));
        return out;
    }

    /**
     * RESHAPE. Give the batch dimension as -1 ({@code reshape(x, -1, 10)}) to keep the model
     * resizable to batches; a fixed 1 pins it to single images.
     */
    public Node reshape(Node x, int... newShape) {
        owned(x);
        int elements = elements(x.shapeRef());
        int unknown = -1;
        int known = 1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1 && unknown < 0) {
                unknown = i;
            } else if (newShape[i] < 1) {
                throw new IllegalArgumentException("reshape dimensions must be positive or a single -1, got " + Arrays.toString(newShape));
            } else {
                known *= newShape[i];
            }
        }
        int[] shape = newShape.clone();
        if (unknown >= 0) {
            shape[unknown] = elements / known;
        }
        if (newShape.length == 0 || elements(shape) != elements) {
            throw new IllegalArgumentException("cannot reshape " + x + " to " + Arrays.toString(newShape));
        }
        Node out = node("reshape", shape);
        layers.add(new Layer.Reshape(x, out, newShape.clone()));
        return out;
    }

    /** Flattens to {@code [1, H*W*C]} in NHWC order, keeping the batch dimension resizable. */
    public Node flatten(Node x) {
        owned(x);
        return reshape(x, -1, elements(x.shapeRef()));
    }

    /** SOFTMAX over the last axis of a {@code [1,N]} node. */
    public Node softmax(Node x) {
        owned(x);
        if (x.shapeRef().length != 2) {
            throw new IllegalArgumentException("softmax takes a [1,N] node, got " + x);
        }
        Node out = node("softmax", x.shapeRef().clone());
        layers.add(new Layer.Softmax(x, out));
        return out;
    }

    /** PAD of height and width with zeros. */
    public Node pad(Node x, int top, int bottom, int left, int right) {
        int[] s = image(x, "pad");
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding must not be negative");
        }
        Node out = node("pad", 1, s[1] + top + bottom, s[2] + left + right, s[3]);
        layers.add(new Layer.Pad(x, out, top, bottom, left, right));
        return out;
    }

    /** Marks {@code x} as a model output; the first output is the one classifiers read. */
    public void output(Node x) {
        owned(x);
        if (x == input) {
            throw new IllegalArgumentException("the input cannot also be an output");
        }
        outputs.add(x);
    }

    /** The graph as a float32 {@code .tflite} file. */
    public byte[] toFloat32() {
        checkComplete();
        return FlatbufferEmitter.emit(description, input, layers, outputs, null);
    }

    /**
     * The graph as a full-integer int8 {@code .tflite} file.
     *
     * @param calibration a range for every node (input and every operator's output); nodes that share
     *                    one quantization (see the class comment) need a range for only one of them
     * @throws IllegalArgumentException naming the nodes without a range
     */
    public byte[] toInt8(Calibration calibration) {
        checkComplete();
        return FlatbufferEmitter.emit(description + " (int8)", input, layers, outputs, quantization(calibration));
    }

    /** Writes {@link #toFloat32()} to {@code file}. */
    public void writeFloat32(Path file) throws IOException {
        Files.write(file, toFloat32());
    }

    /** Writes {@link #toInt8} to {@code file}. */
    public void writeInt8(Path file, Calibration calibration) throws IOException {
        Files.write(file, toInt8(calibration));
    }

    /**
     * Measures every node's range by running the float model in the TFLite interpreter.
     *
     * @param inputs {@code count} images as the model takes them: NHWC, already normalised
     */
    public Calibration calibrate(float[] inputs, int count) {
        checkComplete();
        int[] in = input.shapeRef();
        int perImage = elements(in);
        if (count < 1 || inputs.length != (long) count * perImage) {
            throw new IllegalArgumentException("calibration needs " + count + " images of " + perImage + " values, got "
                    + inputs.length + " values");
        }
        List<Node> probes = layers.stream().map(Layer::output).toList();
        float[] min = new float[probes.size()];
        float[] max = new float[probes.size()];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        byte[] model = FlatbufferEmitter.emit(description, input, layers, probes, null);
        Engines.tflite();
        // The interpreter reads a model from memory only out of a direct buffer, which it keeps using.
        ByteBuffer modelBuffer = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder()).put(model).rewind();
        int chunk = resizable() ? CALIBRATION_BATCH : 1;
        try (Interpreter interpreter = new Interpreter(modelBuffer,
                new Interpreter.Options().setNumThreads(java.lang.Runtime.getRuntime().availableProcessors()))) {
            int current = -1;
            ByteBuffer inBuffer = null;
            ByteBuffer[] outBuffers = new ByteBuffer[probes.size()];
            Map<Integer, Object> outMap = new HashMap<>();
            for (int from = 0; from < count; from += current) {
                int n = Math.min(chunk, count - from);
                if (n != current) {
                    interpreter.resizeInput(0, new int[] {n, in[1], in[2], in[3]});
                    interpreter.allocateTensors();
                    inBuffer = ByteBuffer.allocateDirect(interpreter.getInputTensor(0).numBytes()).order(ByteOrder.nativeOrder());
                    for (int k = 0; k < probes.size(); k++) {
                        outBuffers[k] = ByteBuffer.allocateDirect(interpreter.getOutputTensor(k).numBytes()).order(ByteOrder.nativeOrder());
                        outMap.put(k, outBuffers[k]);
                    }
                    current = n;
                }
                for (int i = 0; i < n * perImage; i++) {
                    inBuffer.putFloat(i * 4, inputs[from * perImage + i]);
                }
                for (ByteBuffer b : outBuffers) {
                    b.clear();
                }
                interpreter.runForMultipleInputsOutputs(new Object[] {inBuffer}, outMap);
                for (int k = 0; k < probes.size(); k++) {
                    ByteBuffer b = outBuffers[k];
                    for (int i = 0; i < b.capacity() / 4; i++) {
                        float v = b.getFloat(i * 4);
                        min[k] = Math.min(min[k], v);
                        max[k] = Math.max(max[k], v);
                    }
                }
            }
        }
        float inMin = Float.POSITIVE_INFINITY;
        float inMax = Float.NEGATIVE_INFINITY;
        for (float v : inputs) {
            inMin = Math.min(inMin, v);
            inMax = Math.max(inMax, v);
        }
        Calibration calibration = Calibration.empty().with(input, inMin, inMax);
        for (int k = 0; k < probes.size(); k++) {
            calibration = calibration.with(probes.get(k), min[k], max[k]);
        }
        return calibration;
    }

    /**
     * Measures ranges on canonical images (NCHW, [0,1]) converted by {@code spec}, which must describe
     * this graph's NHWC input.
     */
    public Calibration calibrate(ImageBatch images, InputSpec spec) {
        checkComplete();
        int[] in = input.shapeRef();
        if (spec.layout() != InputSpec.Layout.NHWC || spec.height() != in[1] || spec.width() != in[2] || spec.channels() != in[3]) {
            throw new IllegalArgumentException("the spec describes " + spec.layout() + " " + Arrays.toString(spec.tensorShape(1))
                    + " but the graph takes NHWC " + Arrays.toString(in));
        }
        return calibrate(new Preprocessor(spec).toModelInput(images), images.size());
    }

    /** Per-node int8 quantization: shared groups get the union of their ranges. */
    private Map<Node, AffineQuantization> quantization(Calibration calibration) {
        int[] parent = new int[nodes.size()];
        Arrays.setAll(parent, i -> i);
        for (Layer layer : layers) {
            if (layer.sharesQuantization()) {
                for (Node in : layer.inputs()) {
                    union(parent, in.id(), layer.output().id());
                }
            }
        }
        Map<Integer, Calibration.Range> groups = new HashMap<>();
        for (Node n : nodes) {
            Calibration.Range r = calibration.range(n);
            if (r != null) {
                groups.merge(find(parent, n.id()), r, Calibration.Range::union);
            }
        }
        // A node that shares its quantization (e.g. the PAD a PyTorch-padded conv2d adds) needs no range of its own.
        List<String> missing = new ArrayList<>();
        for (Node n : nodes) {
            if (!groups.containsKey(find(parent, n.id()))) {
                missing.add(n.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the calibration has no range for " + String.join(", ", missing));
        }
        Map<Integer, AffineQuantization> fixed = new HashMap<>();
        for (Layer layer : layers) {
            if (layer instanceof Layer.Softmax) {
                // TFLite's int8 softmax only produces this quantization of [0,1).
                fixed.put(find(parent, layer.output().id()), AffineQuantization.int8(1f / 256f, -128));
            }
        }
        Map<Node, AffineQuantization> q = new LinkedHashMap<>();
        for (Node n : nodes) {
            int g = find(parent, n.id());
            AffineQuantization f = fixed.get(g);
            Calibration.Range r = groups.get(g);
            q.put(n, f != null ? f : AffineQuantization.int8ForRange(r.min(), r.max()));
        }
        return q;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }

    /** True when every reshape keeps the batch dimension free. */
    private boolean resizable() {
        return layers.stream().noneMatch(l -> l instanceof Layer.Reshape r && r.newShape()[0] != -1);
    }

    private void checkComplete() {
        if (input == null || outputs.isEmpty()) {
            throw new IllegalStateException("the graph needs an input and at least one output");
        }
    }

    private Node node(String kind, int... shape) {
        Node n = new Node(this, nodes.size(), nodes.isEmpty() ? kind : kind + "_" + nodes.size(), shape);
        nodes.add(n);
        return n;
    }

    private void owned(Node x) {
        if (Objects.requireNonNull(x, "node").owner != this) {
            throw new IllegalArgumentException(x + " belongs to another writer");
        }
    }

    private int[] image(Node x, String op) {
        owned(x);
        if (x.shapeRef().length != 4) {
            throw new IllegalArgumentException(op + " takes an image node [1,H,W,C], got " + x);
        }
        return x.shapeRef();
    }

    private static void checkWeightsRank(Weights w, String op) {
        if (w.shape.length != 4) {
            throw new IllegalArgumentException(op + " weights must have 4 dimensions, got " + Arrays.toString(w.shape));
        }
    }

    private static int outSize(int in, int k, int stride, Padding padding) {
        if (stride < 1 || k < 1) {
            throw new IllegalArgumentException("kernel size and stride must be positive, got " + k + " and " + stride);
        }
        int out = padding == Padding.SAME ? (in + stride - 1) / stride : (in - k) / stride + 1;
        if (padding == Padding.VALID && in < k) {
            throw new IllegalArgumentException("a " + k + "-pixel window does not fit " + in + " pixels without padding");
        }
        return out;
    }

    /** SAME or VALID when it matches PyTorch's symmetric padding {@code p}; null when neither does. */
    private static Padding torchPadding(int[] s, int kh, int kw, int stride, int p) {
        if (p < 0) {
            throw new IllegalArgumentException("padding must not be negative, got " + p);
        }
        if (p == 0) {
            return Padding.VALID;
        }
        return sameMatches(s[1], kh, stride, p) && sameMatches(s[2], kw, stride, p) ? Padding.SAME : null;
    }

    /** SAME computes PyTorch's windows when it yields as many outputs and pads as much before. */
    private static boolean sameMatches(int in, int k, int stride, int p) {
        int out = (in + stride - 1) / stride;
        int before = Math.max((out - 1) * stride + k - in, 0) / 2;
        return out == (in + 2 * p - k) / stride + 1 && before == p;
    }

    private static float[] biasOf(float[] bias, int n) {
        if (bias == null) {
            return new float[n];
        }
        if (bias.length != n) {
            throw new IllegalArgumentException("bias needs " + n + " values, got " + bias.length);
        }
        return bias.clone();
    }

    private static int elements(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
