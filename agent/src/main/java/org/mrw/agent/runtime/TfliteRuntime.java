package org.mrw.agent.runtime;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * TensorFlow Lite through {@code org.tensorflow.lite.Interpreter}: Android's
 * {@code tensorflow-lite:2.16.1} on a phone, the desktop 2.6.2 classes on the host. Only calls whose
 * descriptors are the same in both are used: {@code Interpreter(File, Options)},
 * {@code Options.setNumThreads}, {@code getInputTensor/getOutputTensor}, {@code Tensor.shape/
 * dataType/quantizationParams/numBytes}, {@code resizeInput}, {@code allocateTensors},
 * {@code run(Object,Object)}, {@code close}. The JNI library must already be loaded (the agent's
 * {@code libs=} folder); the constructor checks it and fails otherwise, so the runtime is reported
 * unavailable instead of crashing later.
 */
public final class TfliteRuntime implements InferenceRuntime {

    private static final byte[] IDENTIFIER = {'T', 'F', 'L', '3'};

    private final String version;

    /**
     * Checks that the native library is loaded.
     *
     * @throws RuntimeFailure naming what is missing
     */
    public TfliteRuntime() throws RuntimeFailure {
        this.version = nativeVersion();
    }

    /**
     * Interpreter options: the thread count, and XNNPACK on where the runtime has the switch (the desktop
     * 2.6.2 build leaves it off unless asked; set by reflection because its return type differs between
     * 2.6.2 and 2.16.1, which would break a direct call on one of them).
     */
    private static Interpreter.Options options(int threads) {
        Interpreter.Options options = new Interpreter.Options().setNumThreads(threads);
        try {
            Interpreter.Options.class.getMethod("setUseXNNPACK", boolean.class).invoke(options, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no switch: this build decides on its own
        }
        return options;
    }

    /** TensorFlowLite.runtimeVersion() through reflection: the class differs between 2.6 and 2.16. */
    private static String nativeVersion() throws RuntimeFailure {
        try {
            Class<?> c = Class.forName("org.tensorflow.lite.TensorFlowLite");
            return String.valueOf(c.getMethod("runtimeVersion").invoke(null));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new RuntimeFailure("the TensorFlow Lite native library is not loaded (pass libs=DIR holding "
                    + "libtensorflowlite_jni.so): " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new RuntimeFailure("TensorFlow Lite's Java classes are incomplete: " + e, e);
        }
    }

    @Override
    public String name() {
        return "tflite";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public LoadedModel load(File file, int threads) throws RuntimeFailure {
        checkIdentifier(file);
        Interpreter interpreter;
        try {
            interpreter = new Interpreter(file, options(threads));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The JNI layer reports flatbuffer verification and construction failures this way.
            throw new RuntimeFailure(file.getName() + ": the TFLite interpreter rejected the model: " + e.getMessage(), e);
        }
        try {
            return new TfliteModel(file, interpreter);
        } catch (RuntimeFailure e) {
            interpreter.close();
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            interpreter.close();
            throw new RuntimeFailure(file.getName() + ": cannot prepare the model: " + e.getMessage(), e);
        }
    }

    /** Refuses non-flatbuffers before the native verifier sees them. */
    private static void checkIdentifier(File file) throws RuntimeFailure {
        byte[] head = new byte[8];
        int n = 0;
        try (InputStream in = new FileInputStream(file)) {
            while (n < 8) {
                int r = in.read(head, n, 8 - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            throw new RuntimeFailure(file.getName() + ": cannot read the model file: " + e.getMessage(), e);
        }
        if (n < 8) {
            throw new RuntimeFailure(file.getName() + ": " + n + " bytes are too few for a TFLite flatbuffer");
        }
        if (!Arrays.equals(Arrays.copyOfRange(head, 4, 8), IDENTIFIER)) {
            throw new RuntimeFailure(file.getName() + ": not a TFLite model: bytes 4-7 should be the identifier \"TFL3\"");
        }
    }

    private static final class TfliteModel implements LoadedModel {
        private final String name;
        private final Interpreter interpreter;
        private final int[] shape;
        private final int sampleSize;
        private final DataType inputType;
        private final float inScale;
        private final int inZero;
        private int batch = -1;
        private ByteBuffer inputBuffer;
        private ByteBuffer outputBuffer;

        TfliteModel(File file, Interpreter interpreter) throws RuntimeFailure {
            this.name = file.getName();
            this.interpreter = interpreter;
            Tensor in = interpreter.getInputTensor(0);
            int[] s = TensorCalls.shape(in);
            if (s.length < 2) {
                throw new RuntimeFailure(name + ": input shape " + Arrays.toString(s) + " has no batch dimension");
            }
            s = s.clone();
            s[0] = 1;
            this.shape = s;
            int n = 1;
            for (int i = 1; i < s.length; i++) {
                n *= s[i];
            }
            this.sampleSize = n;
            this.inputType = TensorCalls.dataType(in);
            checkType(inputType, "input");
            this.inScale = TensorCalls.quantizationParams(in).getScale();
            this.inZero = TensorCalls.quantizationParams(in).getZeroPoint();
            if (quantizedInput() && inScale == 0f) {
                throw new RuntimeFailure(name + ": " + inputType + " input without a quantization scale");
            }
            checkType(TensorCalls.dataType(interpreter.getOutputTensor(0)), "output");
            adopt(1);
        }

        private void checkType(DataType t, String what) throws RuntimeFailure {
            if (t != DataType.FLOAT32 && t != DataType.INT8 && t != DataType.UINT8) {
                throw new RuntimeFailure(name + ": " + what + " type " + t + " is not supported (float32, int8, uint8 are)");
            }
        }

        /** Resizes the input to a batch size, once per distinct size in a row. */
        private void adopt(int n) throws RuntimeFailure {
            if (n == batch) {
                return;
            }
            int[] s = shape.clone();
            s[0] = n;
            try {
                interpreter.resizeInput(0, s);
                interpreter.allocateTensors();
            } catch (IllegalArgumentException | IllegalStateException e) {
                batch = -1;
                throw new RuntimeFailure(name + ": cannot run a batch of " + n + ": " + e.getMessage(), e);
            }
            batch = n;
            inputBuffer = ByteBuffer.allocateDirect(TensorCalls.numBytes(interpreter.getInputTensor(0))).order(ByteOrder.nativeOrder());
            outputBuffer = ByteBuffer.allocateDirect(TensorCalls.numBytes(interpreter.getOutputTensor(0))).order(ByteOrder.nativeOrder());
        }

        @Override
        public int[] inputShape() {
            return shape.clone();
        }

        @Override
        public boolean quantizedInput() {
            return inputType != DataType.FLOAT32;
        }

        @Override
        public float[] run(float[] input, int n) throws RuntimeFailure {
            if (n < 1 || input.length != (long) n * sampleSize) {
                throw new RuntimeFailure(input.length + " floats are not " + n + " samples of " + sampleSize);
            }
            adopt(n);
            inputBuffer.clear();
            if (inputType == DataType.FLOAT32) {
                inputBuffer.asFloatBuffer().put(input);
            } else {
                int lo = inputType == DataType.INT8 ? -128 : 0;
                int hi = inputType == DataType.INT8 ? 127 : 255;
                for (int i = 0; i < input.length; i++) {
                    long q = Math.round(input[i] / inScale) + inZero;
                    inputBuffer.put(i, (byte) Math.max(lo, Math.min(hi, q)));
                }
            }
            inputBuffer.rewind();
            outputBuffer.clear();
            try {
                interpreter.run(inputBuffer, outputBuffer);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new RuntimeFailure(name + ": inference failed: " + e.getMessage(), e);
            }
            Tensor out = interpreter.getOutputTensor(0);
            DataType t = TensorCalls.dataType(out);
            int count = TensorCalls.numBytes(out) / (t == DataType.FLOAT32 ? 4 : 1);
            float[] scores = new float[count];
            if (t == DataType.FLOAT32) {
                for (int i = 0; i < count; i++) {
                    scores[i] = outputBuffer.getFloat(i * 4);
                }
            } else {
                float scale = TensorCalls.quantizationParams(out).getScale();
                int zero = TensorCalls.quantizationParams(out).getZeroPoint();
                for (int i = 0; i < count; i++) {
                    int q = t == DataType.INT8 ? outputBuffer.get(i) : outputBuffer.get(i) & 0xff;
                    scores[i] = (q - zero) * scale;
                }
            }
            return scores;
        }

        @Override
        public void close() {
            interpreter.close();
        }
    }
}
