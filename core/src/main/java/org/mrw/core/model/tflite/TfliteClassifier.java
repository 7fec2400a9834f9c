package org.mrw.core.model.tflite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.engine.Engines;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelInfo;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Preprocessor;
import org.mrw.core.model.Runtime;
import org.mrw.core.model.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.TensorType;

/**
 * A {@code .tflite} model run by the desktop (x86) build of the TensorFlow Lite 2.6 interpreter,
 * the runtime phones embed.
 *
 * <p>Inputs may be float32, int8 or uint8: quantized inputs are computed in float by the shared
 * {@link Preprocessor} and then quantized with the input tensor's scale and zero point (rounded,
 * saturated); quantized outputs are returned dequantized, {@code (q - zeroPoint) * scale}. The model
 * must have one input; output 0 holds the class scores.
 *
 * <p>Batches run as one interpreter call of up to {@link #MAX_BATCH} images: input 0 is resized to
 * {@code [n, ...]} and tensors reallocated only when {@code n} changes. Models that cannot be resized
 * (a reshape with a fixed batch of 1) run one call per image; loading finds out which. Measured with
 * the tests' 28x28 CNN on one thread (busy 2-core machine, medians of 4 runs): batches of 37 ran
 * 240k images/s against 130k for single-image calls with XNNPACK, 91k against 85k on the builtin
 * float kernels, and 12k against 9.6k for int8. int8 runs 10 to 20 times slower than float on this
 * build (a 784x10 int8 FULLY_CONNECTED took 30 us, float 0.8 us), most likely for want of x86 SIMD
 * code in its int8 matrix kernels; phones' ARM builds have it, so desktop int8 timings say nothing
 * about phones.
 *
 * <p>An interpreter is not thread-safe, so calls on one classifier are serialised: give each worker
 * thread its own classifier.
 */
public final class TfliteClassifier implements Classifier {

    /** Largest number of images sent to the interpreter in one call; bounds the native buffers. */
    public static final int MAX_BATCH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(TfliteClassifier.class);
    private static final String FORMAT = ModelFormat.TFLITE.displayName();
    private static final byte[] IDENTIFIER = "TFL3".getBytes(StandardCharsets.US_ASCII);

    private final ModelInfo info;
    private final Preprocessor preprocessor;
    private final Interpreter interpreter;
    private final Element inputElement;
    private final Element outputElement;
    private final int[] inputShape;
    private final int valuesPerImage;
    private final int numClasses;

    private final boolean resizable;
    private int batchSize;
    private ByteBuffer inputStore;
    private ByteBuffer outputStore;
    private ByteBuffer inputBuffer;
    private ByteBuffer outputBuffer;
    private boolean closed;

    private TfliteClassifier(ModelInfo info, InputSpec spec, Interpreter interpreter, Element inputElement,
                             Element outputElement, int[] inputShape, int numClasses, boolean resizable) {
        this.info = info;
        this.preprocessor = new Preprocessor(spec);
        this.interpreter = interpreter;
        this.inputElement = inputElement;
        this.outputElement = outputElement;
        this.inputShape = inputShape;
        this.valuesPerImage = spec.imageSize();
        this.numClasses = numClasses;
        this.resizable = resizable;
    }

    /**
     * How the interpreter runs.
     *
     * @param threads interpreter threads, at least 1. Give 1 when several classifiers run in
     *                parallel: oversubscribed, XNNPACK's spinning thread pool slowed a small model
     *                from 240k to 6k images/s
     * @param xnnpack whether to use the XNNPACK delegate for the float operators it supports; it is
     *                what phones' TFLite applies by default and, on this 2.6 desktop build, runs
     *                small float CNNs 1.5 to 2.6 times as fast (int8 operators stay on the builtin kernels)
     */
    public record RuntimeOptions(int threads, boolean xnnpack) {

        public RuntimeOptions {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /** One thread per available processor, XNNPACK on. */
        public static RuntimeOptions defaults() {
            return new RuntimeOptions(java.lang.Runtime.getRuntime().availableProcessors(), true);
        }

        /** A copy with another thread count. */
        public RuntimeOptions withThreads(int n) {
            return new RuntimeOptions(n, xnnpack);
        }

        /** A copy with XNNPACK on or off. */
        public RuntimeOptions withXnnpack(boolean on) {
            return new RuntimeOptions(threads, on);
        }
    }

    /** Loads {@code file} with {@link RuntimeOptions#defaults()}. */
    public static TfliteClassifier load(Path file, InputSpec specOrNull) {
        return load(file, specOrNull, RuntimeOptions.defaults());
    }

    /**
     * Loads {@code file}. The input spec comes from {@code specOrNull} (the descriptor) when given,
     * else from the input tensor's shape: {@code [1,H,W,C]} with C of 1 to 4 is NHWC, {@code [1,C,H,W]}
     * NCHW, {@code [1,H,W]} one grey channel; values in [0,1], no normalisation.
     *
     * @throws ModelLoadException naming the file when it is not a usable TensorFlow Lite classifier
     */
    public static TfliteClassifier load(Path file, InputSpec specOrNull, RuntimeOptions options) {
        checkIdentifier(file);
        Engines.tflite();
        Interpreter.Options interpreterOptions = new Interpreter.Options()
                .setNumThreads(options.threads())
                .setUseXNNPACK(options.xnnpack());
        Interpreter interpreter;
        try {
            interpreter = new Interpreter(file.toFile(), interpreterOptions);
        } catch (IllegalArgumentException e) {
            // The JNI layer reports verifier and interpreter-construction failures this way.
            throw new ModelLoadException(file, FORMAT, "the interpreter rejected the file: " + e.getMessage(), e);
        }
        try {
            return open(file, specOrNull, interpreter);
        } catch (ModelLoadException e) {
            interpreter.close();
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Resize and allocation failures: the graph cannot run, e.g. an op the 2.6 runtime lacks.
            interpreter.close();
            throw new ModelLoadException(file, FORMAT, e.getMessage(), e);
        }
    }

    private static TfliteClassifier open(Path file, InputSpec descriptor, Interpreter interpreter) {
        if (interpreter.getInputTensorCount() != 1 || interpreter.getOutputTensorCount() < 1) {
            throw new ModelLoadException(file, FORMAT, "a classifier needs exactly one input and at least one output; this model has "
                    + interpreter.getInputTensorCount() + " inputs and " + interpreter.getOutputTensorCount() + " outputs");
        }
        int[] shape = interpreter.getInputTensor(0).shape();
        if (shape.length < 2 || shape[0] < 1) {
            throw new ModelLoadException(file, FORMAT, "input shape " + Arrays.toString(shape) + " has no batch dimension");
        }
        if (shape[0] != 1) {
            shape = shape.clone();
            shape[0] = 1;
            interpreter.resizeInput(0, shape);
        }
        interpreter.allocateTensors();
        Tensor in = interpreter.getInputTensor(0);
        Tensor out = interpreter.getOutputTensor(0);
        Element inputElement = Element.of(file, "input", in);
        Element outputElement = Element.of(file, "output", out);
        int numClasses = out.numElements();
        if (numClasses < 1) {
            throw new ModelLoadException(file, FORMAT, "output 0 has shape " + Arrays.toString(out.shape()) + ", no class scores");
        }
        InputSpec spec = descriptor != null ? checked(file, descriptor, in.shape()) : inferred(file, in.shape());
        Variant variant = spec.variant() != null ? spec.variant()
                : inputElement.quantization() != null || hasQuantizedWeights(file) ? Variant.INT8 : Variant.FLOAT;
        ModelInfo info = new ModelInfo(idOf(file), file, ModelFormat.TFLITE, Runtime.TFLITE, variant);
        boolean resizable = resizable(file, in.shape(), numClasses);
        if (!resizable) {
            LOG.info("{} has a fixed batch size in its graph: it runs one image per interpreter call", file);
        }
        TfliteClassifier classifier = new TfliteClassifier(info, spec, interpreter, inputElement, outputElement, in.shape(),
                numClasses, resizable);
        classifier.adoptBatch(1);
        LOG.debug("{}: input {} {}, {} classes, {}", file, in.dataType(), Arrays.toString(in.shape()), numClasses, variant);
        return classifier;
    }

    /**
     * Whether the graph runs two images at once, tried on a throw-away interpreter without delegates:
     * after a failed resize the XNNPACK delegate crashes the process on the next run (TFLite 2.6), so
     * the classifier's own interpreter is only ever resized to sizes that work.
     */
    private static boolean resizable(Path file, int[] shape, int numClasses) {
        int[] two = shape.clone();
        two[0] = 2;
        try (Interpreter probe = new Interpreter(file.toFile(), new Interpreter.Options().setNumThreads(1).setUseXNNPACK(false))) {
            probe.resizeInput(0, two);
            probe.allocateTensors();
            return probe.getOutputTensor(0).numElements() == 2 * numClasses;
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.debug("{}: resizing the input to {} failed: {}", file, Arrays.toString(two), e.getMessage());
            return false;
        }
    }

    /** Rejects files that are not TFLite flatbuffers before the native verifier sees them. */
    private static void checkIdentifier(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        } catch (IOException e) {
            throw new ModelLoadException(file, FORMAT, "cannot read the file: " + e.getMessage(), e);
        }
        if (head.length == 0) {
            throw new ModelLoadException(file, FORMAT, "the file is empty");
        }
        if (head.length < 8) {
            throw new ModelLoadException(file, FORMAT, "the file has only " + head.length + " bytes, too few for a flatbuffer");
        }
        if (!Arrays.equals(head, 4, 8, IDENTIFIER, 0, 4)) {
            throw new ModelLoadException(file, FORMAT, "not a TFLite flatbuffer: bytes 4-7 should be the identifier \"TFL3\" but are "
                    + printable(Arrays.copyOfRange(head, 4, 8)));
        }
    }

    private static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder("\"");
        for (byte b : bytes) {
            s.append(b >= 0x20 && b < 0x7f ? Character.toString(b) : String.format("\\x%02x", b & 0xff));
        }
        return s.append('"').toString();
    }

    private static InputSpec inferred(Path file, int[] shape) {
        if (shape.length == 4 && shape[3] >= 1 && shape[3] <= 4) {
            return InputSpec.plain(InputSpec.Layout.NHWC, shape[3], shape[1], shape[2], List.of());
        }
        if (shape.length == 4 && shape[1] >= 1 && shape[1] <= 4) {
            return InputSpec.plain(InputSpec.Layout.NCHW, shape[1], shape[2], shape[3], List.of());
        }
        if (shape.length == 3) {
            return InputSpec.plain(InputSpec.Layout.NHWC, 1, shape[1], shape[2], List.of());
        }
        throw new ModelLoadException(file, FORMAT, "cannot tell the image layout from input shape " + Arrays.toString(shape)
                + "; put a descriptor beside the model (" + InputSpec.besideModel(file).getFileName() + ")");
    }

    private static InputSpec checked(Path file, InputSpec spec, int[] shape) {
        long perImage = 1;
        for (int i = 1; i < shape.length; i++) {
            perImage *= shape[i];
        }
        boolean matches = perImage == spec.imageSize();
        if (matches && shape.length == 4) {
            long[] expected = spec.tensorShape(1);
            for (int i = 1; i < 4; i++) {
                matches &= expected[i] == shape[i];
            }
        }
        if (!matches) {
            throw new ModelLoadException(file, FORMAT, "the descriptor describes " + spec.layout() + " input "
                    + Arrays.toString(spec.tensorShape(1)) + " but the model's input tensor is " + Arrays.toString(shape));
        }
        return spec;
    }

    /** True when any constant tensor holds int8/uint8 data (full-integer or weight-only quantization). */
    private static boolean hasQuantizedWeights(Path file) {
        // Read only after the native verifier accepted the file, so the offsets can be trusted.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            Model model = Model.getRootAsModel(bytes.order(ByteOrder.LITTLE_ENDIAN));
            for (int g = 0; g < model.subgraphsLength(); g++) {
                SubGraph graph = model.subgraphs(g);
                for (int t = 0; t < graph.tensorsLength(); t++) {
                    org.tensorflow.lite.schema.Tensor tensor = graph.tensors(t);
                    byte type = tensor.type();
                    long buffer = tensor.buffer();
                    if ((type == TensorType.INT8 || type == TensorType.UINT8) && buffer > 0
                            && buffer < model.buffersLength() && model.buffers((int) buffer).dataLength() > 0) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new ModelLoadException(file, FORMAT, "cannot read the file: " + e.getMessage(), e);
        }
    }

    private static String idOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public InputSpec input() {
        return preprocessor.spec();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** False when the graph pins the batch to one image, so every image is a separate call. */
    public boolean resizable() {
        return resizable;
    }

    @Override
    public synchronized float[] logits(ImageBatch batch) {
        if (closed) {
            throw new IllegalStateException("classifier " + info.id() + " is closed");
        }
        float[] values = preprocessor.toModelInput(batch);
        int n = batch.size();
        float[] logits = new float[n * numClasses];
        for (int from = 0; from < n; ) {
            int count = resizable ? Math.min(MAX_BATCH, n - from) : 1;
            if (count != batchSize) {
                resize(count);
            }
            write(values, from * valuesPerImage, count * valuesPerImage);
            outputBuffer.clear();
            interpreter.run(inputBuffer, outputBuffer);
            read(logits, from * numClasses, count * numClasses);
            from += count;
        }
        return logits;
    }

    /** Resizes input 0 to {@code n} images, a size the load-time probe showed the graph accepts. */
    private void resize(int n) {
        int[] shape = inputShape.clone();
        shape[0] = n;
        try {
            interpreter.resizeInput(0, shape);
            interpreter.allocateTensors();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException(info.file() + ": the interpreter refused input shape " + Arrays.toString(shape)
                    + " although it accepted a batch of 2: " + e.getMessage(), e);
        }
        if (!adoptBatch(n)) {
            throw new IllegalStateException(info.file() + ": for " + n + " images the output holds "
                    + interpreter.getOutputTensor(0).numElements() + " values, not " + n * numClasses);
        }
    }

    /** Points the buffers at the tensors' current sizes; false when the output does not scale with the batch. */
    private boolean adoptBatch(int n) {
        Tensor in = interpreter.getInputTensor(0);
        Tensor out = interpreter.getOutputTensor(0);
        int inBytes = in.numBytes();
        int outBytes = out.numBytes();
        if (in.numElements() != n * valuesPerImage || inBytes != n * valuesPerImage * inputElement.bytes()
                || out.numElements() != n * numClasses || outBytes != n * numClasses * outputElement.bytes()) {
            return false;
        }
        inputStore = atLeast(inputStore, inBytes);
        outputStore = atLeast(outputStore, outBytes);
        // The interpreter insists on buffers of exactly numBytes(): hand it views of the larger stores.
        inputBuffer = inputStore.duplicate().clear().limit(inBytes).slice().order(ByteOrder.nativeOrder());
        outputBuffer = outputStore.duplicate().clear().limit(outBytes).slice().order(ByteOrder.nativeOrder());
        batchSize = n;
        return true;
    }

    private static ByteBuffer atLeast(ByteBuffer store, int bytes) {
        return store != null && store.capacity() >= bytes ? store : ByteBuffer.allocateDirect(bytes);
    }

    private void write(float[] values, int offset, int count) {
        AffineQuantization q = inputElement.quantization();
        if (q == null) {
            for (int i = 0; i < count; i++) {
                inputBuffer.putFloat(i * 4, values[offset + i]);
            }
        } else {
            // uint8 values above 127 wrap to negative bytes, which is the same bit pattern.
            for (int i = 0; i < count; i++) {
                inputBuffer.put(i, (byte) q.quantize(values[offset + i]));
            }
        }
    }

    private void read(float[] logits, int offset, int count) {
        AffineQuantization q = outputElement.quantization();
        for (int i = 0; i < count; i++) {
            logits[offset + i] = switch (outputElement.type()) {
                case FLOAT32 -> outputBuffer.getFloat(i * 4);
                case INT8 -> q.dequantize(outputBuffer.get(i));
                case UINT8 -> q.dequantize(outputBuffer.get(i) & 0xff);
            };
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            interpreter.close();
        }
    }

    @Override
    public String toString() {
        return "TfliteClassifier[" + info.id() + ", " + info.variant() + "]";
    }

    /** The element types a classifier tensor may have. */
    private enum ElementType { FLOAT32, INT8, UINT8 }

    /**
     * How one input or output tensor stores values.
     *
     * @param quantization null for float32
     */
    private record Element(ElementType type, AffineQuantization quantization) {

        int bytes() {
            return type == ElementType.FLOAT32 ? 4 : 1;
        }

        static Element of(Path file, String role, Tensor tensor) {
            DataType type = tensor.dataType();
            if (type == DataType.FLOAT32) {
                return new Element(ElementType.FLOAT32, null);
            }
            if (type != DataType.INT8 && type != DataType.UINT8) {
                throw new ModelLoadException(file, FORMAT, role + " tensor is " + type + "; only float32, int8 and uint8 are supported");
            }
            Tensor.QuantizationParams p = tensor.quantizationParams();
            try {
                return type == DataType.INT8
                        ? new Element(ElementType.INT8, AffineQuantization.int8(p.getScale(), p.getZeroPoint()))
                        : new Element(ElementType.UINT8, AffineQuantization.uint8(p.getScale(), p.getZeroPoint()));
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(file, FORMAT, role + " tensor is " + type + " without usable quantization ("
                        + e.getMessage() + ")", e);
            }
        }
    }
}
