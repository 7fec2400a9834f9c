package org.mrw.agent.android;

import java.io.File;
import java.util.Arrays;
import org.mrw.agent.runtime.InferenceRuntime;
import org.pytorch.DType;
import org.pytorch.IValue;
import org.pytorch.LiteModuleLoader;
import org.pytorch.Module;
import org.pytorch.PyTorchAndroid;
import org.pytorch.Tensor;

/**
 * PyTorch Mobile lite 1.12.2 ({@code org.pytorch:pytorch_android_lite}) on a phone: loads {@code .ptl}
 * lite-interpreter files, float or int8 (quantized models take float input and quantize inside the
 * graph), and returns float scores.
 *
 * <p><b>Compiled here, never run here.</b> This computer has no Android runtime, and the AAR's
 * native libraries need Android's libc, so no test executes this class: the build only proves that
 * it compiles against the AAR's API and is dexed, with that API, into the agent jar's
 * {@code classes.dex}. On the desktop, where the agent runs PyTorch through DJL, loading this class
 * fails with a {@link LinkageError} (the {@code org.pytorch} classes exist only in the dex), which the
 * agent reports as the runtime being unavailable.
 *
 * <p>TorchScript does not record the input shape, so {@link #load(File, int, int[])} must be used;
 * {@link #load(File, int)} refuses. Natives come from {@link PhoneNativeLibraries}.
 */
public final class PytorchLiteRuntime implements InferenceRuntime {

    /** Version of the AAR this class is compiled and shipped with (agent/pom.xml). */
    public static final String VERSION = "1.12.2";

    /** Largest sample the runtime accepts, in elements: bounds what a shape from the wire can allocate. */
    static final long MAX_SAMPLE_ELEMENTS = 16L * 1024 * 1024;

    public PytorchLiteRuntime() throws RuntimeFailure {
        // Found by reflection by class name. Its classes must all be there (on the desktop they are not,
        // and the host's DJL runtime serves pytorch-lite instead); the natives load with the first model.
        for (String required : new String[] {"org.pytorch.LiteModuleLoader", "org.pytorch.Tensor",
                "com.facebook.soloader.nativeloader.NativeLoaderDelegate"}) {
            try {
                Class.forName(required, false, PytorchLiteRuntime.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new RuntimeFailure("PyTorch Mobile lite's classes are not here (" + required + " missing)");
            }
        }
    }

    @Override
    public String name() {
        return "pytorch-lite";
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public LoadedModel load(File file, int threads) throws RuntimeFailure {
        throw new RuntimeFailure("pytorch-lite cannot load " + file + " without its input shape: TorchScript does not record it");
    }

    @Override
    public LoadedModel load(File file, int threads, int[] inputShape) throws RuntimeFailure {
        long sampleElements = sampleElements(inputShape);
        if (threads < 1) {
            throw new RuntimeFailure("pytorch-lite needs at least one thread, got " + threads);
        }
        if (!file.isFile()) {
            throw new RuntimeFailure("pytorch-lite: no model file " + file);
        }
        try {
            PhoneNativeLibraries.installForPytorch();
            PyTorchAndroid.setNumThreads(threads);
            Module module = LiteModuleLoader.load(file.getAbsolutePath());
            return new PtlModel(module, inputShape.clone(), (int) sampleElements);
        } catch (UnsatisfiedLinkError e) {
            throw new RuntimeFailure("pytorch-lite natives did not load for " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The native loader reports unreadable or too-new bytecode as com.facebook.jni.CppException.
            throw new RuntimeFailure("pytorch-lite refused " + file + ": " + e.getMessage(), e);
        }
    }

    /** Elements per sample of a batch-of-one shape; refuses shapes that are empty, not batch 1, or too large. */
    static long sampleElements(int[] inputShape) throws RuntimeFailure {
        if (inputShape == null || inputShape.length < 2 || inputShape[0] != 1) {
            throw new RuntimeFailure("pytorch-lite needs a batch-of-one input shape [1, ...], got " + Arrays.toString(inputShape));
        }
        long elements = 1;
        for (int i = 1; i < inputShape.length; i++) {
            if (inputShape[i] < 1) {
                throw new RuntimeFailure("pytorch-lite input shape has a non-positive dimension: " + Arrays.toString(inputShape));
            }
            elements *= inputShape[i];
            if (elements > MAX_SAMPLE_ELEMENTS) {
                throw new RuntimeFailure("pytorch-lite input shape too large: " + Arrays.toString(inputShape));
            }
        }
        return elements;
    }

    /** One loaded {@code .ptl} module. */
    private static final class PtlModel implements LoadedModel {
        private final Module module;
        private final int[] inputShape;
        private final int sampleElements;
        private boolean closed;

        PtlModel(Module module, int[] inputShape, int sampleElements) {
            this.module = module;
            this.inputShape = inputShape;
            this.sampleElements = sampleElements;
        }

        @Override
        public int[] inputShape() {
            return inputShape.clone();
        }

        @Override
        public boolean quantizedInput() {
            return false; // int8 .ptl models quantize their float input themselves
        }

        @Override
        public float[] run(float[] input, int batch) throws RuntimeFailure {
            if (closed) {
                throw new RuntimeFailure("pytorch-lite model already closed");
            }
            if (batch < 1 || (long) batch * sampleElements != input.length) {
                throw new RuntimeFailure("pytorch-lite expected " + batch + " x " + sampleElements + " floats, got " + input.length);
            }
            long[] shape = new long[inputShape.length];
            shape[0] = batch;
            for (int i = 1; i < shape.length; i++) {
                shape[i] = inputShape[i];
            }
            Tensor scores;
            try {
                IValue output = module.forward(IValue.from(Tensor.fromBlob(input, shape)));
                // Models that return (logits, extras) give the scores first.
                scores = output.isTuple() ? output.toTuple()[0].toTensor() : output.toTensor();
            } catch (RuntimeException e) {
                throw new RuntimeFailure("pytorch-lite forward failed for input " + Arrays.toString(shape) + ": " + e.getMessage(), e);
            }
            if (scores.dtype() != DType.FLOAT32) {
                throw new RuntimeFailure("pytorch-lite model returned " + scores.dtype() + ", expected float32 scores");
            }
            long[] outShape = scores.shape();
            float[] values = scores.getDataAsFloatArray();
            if (outShape.length == 0 || outShape[0] != batch || values.length % batch != 0) {
                throw new RuntimeFailure("pytorch-lite output shape " + Arrays.toString(outShape) + " does not match batch " + batch);
            }
            return values;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                module.destroy();
            }
        }
    }
}
