package org.mrw.core.model.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mrw.core.model.tflite.TfliteModelWriter.Activation;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.mrw.core.model.tflite.TfliteModelWriter.Weights;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.PadOptionsT;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Turns a {@link TfliteModelWriter} graph into flatbuffer bytes with the TFLite schema classes, float32
 * or int8. Operator versions are those TFLite's converter assigns for the same tensor types, so
 * runtimes that check versions accept the file.
 */
final class FlatbufferEmitter {

    /** Schema version of the TFLite flatbuffer format. */
    private static final int SCHEMA_VERSION = 3;
    /** Constant data starts on 16 bytes, as the converter writes it, for kernels that read it in place. */
    private static final int BUFFER_ALIGNMENT = 16;

    private final Map<Node, AffineQuantization> quantization;
    private final List<TensorT> tensors = new ArrayList<>();
    private final List<byte[]> buffers = new ArrayList<>();
    private final List<OperatorT> operators = new ArrayList<>();
    private final List<OperatorCodeT> codes = new ArrayList<>();
    private final Map<Integer, Integer> codeIndex = new HashMap<>();
    private final Map<Node, Integer> tensorOf = new HashMap<>();

    private FlatbufferEmitter(Map<Node, AffineQuantization> quantization) {
        this.quantization = quantization;
        buffers.add(new byte[0]);  // buffer 0 is the schema's "no data" sentinel
    }

    /**
     * The model bytes.
     *
     * @param quantization every node's int8 quantization, or null for a float32 model
     */
    static byte[] emit(String description, Node input, List<Layer> layers, List<Node> outputs,
                       Map<Node, AffineQuantization> quantization) {
        FlatbufferEmitter e = new FlatbufferEmitter(quantization);
        int in = e.activationTensor(input);
        // A free batch dimension lets the interpreter resize the input to batches.
        int[] signature = input.shape();
        signature[0] = -1;
        e.tensors.get(in).setShapeSignature(signature);
        for (Layer layer : layers) {
            e.layer(layer);
        }
        int[] out = outputs.stream().mapToInt(e::activationTensor).toArray();
        return e.finish(description, new int[] {in}, out);
    }

    private boolean int8() {
        return quantization != null;
    }

    private void layer(Layer layer) {
        if (layer instanceof Layer.Conv2d c) {
            int[] wb = weightsAndBias(c.output().name(), c.weights(), c.bias(), 0, c.input());
            Conv2DOptionsT o = new Conv2DOptionsT();
            o.setPadding(padding(c.padding()));
            o.setStrideH(c.stride());
            o.setStrideW(c.stride());
            o.setDilationHFactor(1);
            o.setDilationWFactor(1);
            o.setFusedActivationFunction(activation(c.activation()));
            operator(BuiltinOperator.CONV_2D, int8() ? 3 : 1, new int[] {activationTensor(c.input()), wb[0], wb[1]}, c.output(),
                    BuiltinOptions.Conv2DOptions, o);
        } else if (layer instanceof Layer.DepthwiseConv2d d) {
            int[] wb = weightsAndBias(d.output().name(), d.weights(), d.bias(), 3, d.input());
            DepthwiseConv2DOptionsT o = new DepthwiseConv2DOptionsT();
            o.setPadding(padding(d.padding()));
            o.setStrideH(d.stride());
            o.setStrideW(d.stride());
            o.setDilationHFactor(1);
            o.setDilationWFactor(1);
            o.setDepthMultiplier(d.multiplier());
            o.setFusedActivationFunction(activation(d.activation()));
            operator(BuiltinOperator.DEPTHWISE_CONV_2D, int8() ? 3 : 1, new int[] {activationTensor(d.input()), wb[0], wb[1]},
                    d.output(), BuiltinOptions.DepthwiseConv2DOptions, o);
        } else if (layer instanceof Layer.FullyConnected f) {
            // TFLite 2.6's int8 FULLY_CONNECTED reads one weight scale: per-tensor.
            int[] wb = weightsAndBias(f.output().name(), f.weights(), f.bias(), -1, f.input());
            FullyConnectedOptionsT o = new FullyConnectedOptionsT();
            o.setFusedActivationFunction(activation(f.activation()));
            operator(BuiltinOperator.FULLY_CONNECTED, int8() ? 4 : 1, new int[] {activationTensor(f.input()), wb[0], wb[1]},
                    f.output(), BuiltinOptions.FullyConnectedOptions, o);
        } else if (layer instanceof Layer.Add a) {
            AddOptionsT o = new AddOptionsT();
            o.setFusedActivationFunction(activation(a.activation()));
            operator(BuiltinOperator.ADD, int8() ? 2 : 1, new int[] {activationTensor(a.left()), activationTensor(a.right())}, a.output(),
                    BuiltinOptions.AddOptions, o);
        } else if (layer instanceof Layer.Concatenation c) {
            ConcatenationOptionsT o = new ConcatenationOptionsT();
            o.setAxis(c.output().shapeRef().length - 1);
            o.setFusedActivationFunction(ActivationFunctionType.NONE);
            operator(BuiltinOperator.CONCATENATION, int8() ? 2 : 1, c.inputs().stream().mapToInt(this::activationTensor).toArray(),
                    c.output(), BuiltinOptions.ConcatenationOptions, o);
        } else if (layer instanceof Layer.Pool2d p) {
            Pool2DOptionsT o = new Pool2DOptionsT();
            o.setPadding(padding(p.padding()));
            o.setStrideH(p.stride());
            o.setStrideW(p.stride());
            o.setFilterHeight(p.size());
            o.setFilterWidth(p.size());
            o.setFusedActivationFunction(ActivationFunctionType.NONE);
            operator(p.max() ? BuiltinOperator.MAX_POOL_2D : BuiltinOperator.AVERAGE_POOL_2D, int8() ? 2 : 1,
                    new int[] {activationTensor(p.input())}, p.output(), BuiltinOptions.Pool2DOptions, o);
        } else if (layer instanceof Layer.Mean m) {
            int axes = int32Constant(m.output().name() + "/axes", new int[] {2}, new int[] {1, 2});
            ReducerOptionsT o = new ReducerOptionsT();
            o.setKeepDims(false);
            operator(BuiltinOperator.MEAN, int8() ? 2 : 1, new int[] {activationTensor(m.input()), axes}, m.output(),
                    BuiltinOptions.ReducerOptions, o);
        } else if (layer instanceof Layer.Reshape r) {
            int shape = int32Constant(r.output().name() + "/shape", new int[] {r.newShape().length}, r.newShape());
            ReshapeOptionsT o = new ReshapeOptionsT();
            o.setNewShape(r.newShape());
            operator(BuiltinOperator.RESHAPE, 1, new int[] {activationTensor(r.input()), shape}, r.output(),
                    BuiltinOptions.ReshapeOptions, o);
        } else if (layer instanceof Layer.Softmax s) {
            SoftmaxOptionsT o = new SoftmaxOptionsT();
            o.setBeta(1f);
            operator(BuiltinOperator.SOFTMAX, int8() ? 2 : 1, new int[] {activationTensor(s.input())}, s.output(),
                    BuiltinOptions.SoftmaxOptions, o);
        } else if (layer instanceof Layer.Pad p) {
            int paddings = int32Constant(p.output().name() + "/paddings", new int[] {4, 2},
                    new int[] {0, 0, p.top(), p.bottom(), p.left(), p.right(), 0, 0});
            operator(BuiltinOperator.PAD, int8() ? 2 : 1, new int[] {activationTensor(p.input()), paddings}, p.output(),
                    BuiltinOptions.PadOptions, new PadOptionsT());
        } else {
            throw new IllegalStateException("no emitter for " + layer);
        }
    }

    /** The tensor of an activation node, created on first use. */
    private int activationTensor(Node node) {
        Integer known = tensorOf.get(node);
        if (known != null) {
            return known;
        }
        TensorT t = new TensorT();
        t.setName(node.name());
        t.setShape(node.shape());
        t.setBuffer(0);
        if (int8()) {
            AffineQuantization q = quantization.get(node);
            t.setType(TensorType.INT8);
            t.setQuantization(quantizationOf(new float[] {q.scale()}, new long[] {q.zeroPoint()}, 0));
        } else {
            t.setType(TensorType.FLOAT32);
        }
        tensors.add(t);
        tensorOf.put(node, tensors.size() - 1);
        return tensors.size() - 1;
    }

    /**
     * Weight and bias tensors. For int8, weights are symmetric with one scale per slice along
     * {@code channelAxis} (-1: one scale for the tensor), biases int32 at {@code inputScale * weightScale}.
     */
    private int[] weightsAndBias(String name, Weights weights, float[] bias, int channelAxis, Node input) {
        int[] shape = weights.shape();
        float[] w = weights.valuesRef();
        if (!int8()) {
            return new int[] {
                constant(name + "/weights", shape, TensorType.FLOAT32, float32Bytes(w), null),
                constant(name + "/bias", new int[] {bias.length}, TensorType.FLOAT32, float32Bytes(bias), null)};
        }
        int channels = channelAxis < 0 ? 1 : shape[channelAxis];
        int stride = 1;
        for (int i = channelAxis + 1; channelAxis >= 0 && i < shape.length; i++) {
            stride *= shape[i];
        }
        float[] maxAbs = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = channelAxis < 0 ? 0 : (i / stride) % channels;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            // An all-zero slice quantizes to zeros at any scale; 1/127 keeps its bias scale sensible.
            scales[c] = maxAbs[c] > 0f ? maxAbs[c] / 127f : 1f / 127f;
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            int c = channelAxis < 0 ? 0 : (i / stride) % channels;
            q[i] = (byte) AffineQuantization.int8(scales[c], 0).quantize(w[i]);
        }
        float inputScale = quantization.get(input).scale();
        float[] biasScales = new float[channels];
        for (int c = 0; c < channels; c++) {
            biasScales[c] = inputScale * scales[c];
        }
        int[] qb = new int[bias.length];
        for (int i = 0; i < bias.length; i++) {
            double v = Math.rint(bias[i] / (double) biasScales[channelAxis < 0 ? 0 : i]);
            qb[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        int qdim = Math.max(channelAxis, 0);
        return new int[] {
            constant(name + "/weights", shape, TensorType.INT8, q, quantizationOf(scales, new long[channels], qdim)),
            constant(name + "/bias", new int[] {bias.length}, TensorType.INT32, int32Bytes(qb),
                    quantizationOf(biasScales, new long[channels], 0))};
    }

    private int int32Constant(String name, int[] shape, int[] values) {
        return constant(name, shape, TensorType.INT32, int32Bytes(values), null);
    }

    private int constant(String name, int[] shape, byte type, byte[] data, QuantizationParametersT q) {
        buffers.add(data);
        TensorT t = new TensorT();
        t.setName(name);
        t.setShape(shape);
        t.setType(type);
        t.setBuffer(buffers.size() - 1);
        t.setQuantization(q);
        tensors.add(t);
        return tensors.size() - 1;
    }

    private static QuantizationParametersT quantizationOf(float[] scales, long[] zeroPoints, int dimension) {
        QuantizationParametersT q = new QuantizationParametersT();
        q.setScale(scales);
        q.setZeroPoint(zeroPoints);
        q.setQuantizedDimension(dimension);
        return q;
    }

    private void operator(int builtin, int version, int[] inputs, Node output, byte optionsType, Object options) {
        OperatorT o = new OperatorT();
        o.setOpcodeIndex(codeIndex.computeIfAbsent(builtin * 1000 + version, k -> {
            OperatorCodeT c = new OperatorCodeT();
            c.setBuiltinCode(builtin);
            // Readers older than schema 2.4 look only at the deprecated byte-sized field.
            c.setDeprecatedBuiltinCode((byte) builtin);
            c.setVersion(version);
            codes.add(c);
            return codes.size() - 1;
        }));
        o.setInputs(inputs);
        o.setOutputs(new int[] {activationTensor(output)});
        BuiltinOptionsUnion u = new BuiltinOptionsUnion();
        u.setType(optionsType);
        u.setValue(options);
        o.setBuiltinOptions(u);
        operators.add(o);
    }

    private byte[] finish(String description, int[] inputs, int[] outputs) {
        long dataBytes = buffers.stream().mapToLong(b -> b.length + BUFFER_ALIGNMENT).sum();
        if (dataBytes > Integer.MAX_VALUE - (64L << 20)) {
            throw new IllegalArgumentException("the weights (" + dataBytes + " bytes) exceed the 2 GB flatbuffer limit");
        }
        FlatBufferBuilder fbb = new FlatBufferBuilder((int) dataBytes + (64 << 10));
        // Buffers are packed by hand: the object API would copy every byte through an int[].
        int[] bufferOffsets = new int[buffers.size()];
        for (int i = 0; i < bufferOffsets.length; i++) {
            byte[] data = buffers.get(i);
            int vector = 0;
            if (data.length > 0) {
                fbb.prep(BUFFER_ALIGNMENT, data.length);
                vector = fbb.createByteVector(data);
            }
            Buffer.startBuffer(fbb);
            if (data.length > 0) {
                Buffer.addData(fbb, vector);
            }
            bufferOffsets[i] = Buffer.endBuffer(fbb);
        }
        int buffersVector = Model.createBuffersVector(fbb, bufferOffsets);
        int[] codeOffsets = codes.stream().mapToInt(c -> OperatorCode.pack(fbb, c)).toArray();
        int codesVector = Model.createOperatorCodesVector(fbb, codeOffsets);
        SubGraphT graph = new SubGraphT();
        graph.setName("main");
        graph.setTensors(tensors.toArray(TensorT[]::new));
        graph.setInputs(inputs);
        graph.setOutputs(outputs);
        graph.setOperators(operators.toArray(OperatorT[]::new));
        int graphsVector = Model.createSubgraphsVector(fbb, new int[] {SubGraph.pack(fbb, graph)});
        int descriptionOffset = fbb.createString(description);
        Model.startModel(fbb);
        Model.addVersion(fbb, SCHEMA_VERSION);
        Model.addOperatorCodes(fbb, codesVector);
        Model.addSubgraphs(fbb, graphsVector);
        Model.addDescription(fbb, descriptionOffset);
        Model.addBuffers(fbb, buffersVector);
        Model.finishModelBuffer(fbb, Model.endModel(fbb));
        return fbb.sizedByteArray();
    }

    private static byte padding(TfliteModelWriter.Padding p) {
        return p == TfliteModelWriter.Padding.SAME ? org.tensorflow.lite.schema.Padding.SAME : org.tensorflow.lite.schema.Padding.VALID;
    }

    private static byte activation(Activation a) {
        return switch (a) {
            case NONE -> ActivationFunctionType.NONE;
            case RELU -> ActivationFunctionType.RELU;
            case RELU6 -> ActivationFunctionType.RELU6;
        };
    }

    private static byte[] float32Bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] int32Bytes(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }
}
