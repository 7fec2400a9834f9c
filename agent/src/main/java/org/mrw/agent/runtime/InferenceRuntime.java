package org.mrw.agent.runtime;

import java.io.File;

/**
 * One inference runtime the agent can run models in (TensorFlow Lite, PyTorch Mobile lite). On a
 * phone the implementations call the mobile runtimes' Java APIs; on this computer (the host device)
 * the same agent runs desktop builds of them. The agent picks implementations by reflection, so a
 * runtime whose classes or natives are missing is reported as unavailable, never a crash.
 */
public interface InferenceRuntime {

    /** Wire name: {@code "tflite"} or {@code "pytorch-lite"}. */
    String name();

    /** Version of the runtime library, for the run's provenance record. */
    String version();

    /**
     * Loads a model file already on the device's disk.
     *
     * @param threads intra-op threads (≥ 1)
     * @throws RuntimeFailure with a message naming the file when the runtime refuses it
     */
    LoadedModel load(File file, int threads) throws RuntimeFailure;

    /**
     * Loads a model file with the batch-1 input shape the workbench took from the model's
     * descriptor. Formats that do not record their input shape (TorchScript {@code .pt/.ptl})
     * need it; the default ignores it, for formats that record it (TFLite).
     *
     * @param inputShape e.g. [1,1,28,28]; null when the workbench sent none
     */
    default LoadedModel load(File file, int threads, int[] inputShape) throws RuntimeFailure {
        return load(file, threads);
    }

    /** A model in memory; not thread-safe: the agent serialises calls per model. */
    interface LoadedModel extends AutoCloseable {

        /** Input shape for a batch of one, as the model expects it (e.g. [1,28,28,1] or [1,1,28,28]). */
        int[] inputShape();

        /** Whether the model takes uint8/int8 input (int8 TFLite); float32 otherwise. */
        boolean quantizedInput();

        /**
         * Runs a batch: {@code input} holds {@code batch} samples in the model's own layout, float32
         * (for quantized inputs the runtime applies the input tensor's scale and zero point).
         * Returns the float32 scores, {@code batch × classes}, row-major.
         */
        float[] run(float[] input, int batch) throws RuntimeFailure;

        @Override
        void close();
    }

    /** A runtime refused a model or a batch; the message says what and why. */
    final class RuntimeFailure extends Exception {
        private static final long serialVersionUID = 1L;

        public RuntimeFailure(String message, Throwable cause) {
            super(message, cause);
        }

        public RuntimeFailure(String message) {
            super(message);
        }
    }
}
