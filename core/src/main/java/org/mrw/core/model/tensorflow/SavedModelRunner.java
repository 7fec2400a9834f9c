package org.mrw.core.model.tensorflow;

/**
 * Executes a loaded SavedModel on tensors that are already in the model's own input form
 * (layout, scale and normalisation applied). Every call releases its native memory before returning.
 */
interface SavedModelRunner extends AutoCloseable {

    /**
     * Logits for {@code shape[0]} images.
     *
     * @param input model-input values, row-major in {@code shape}
     * @param shape the input tensor's shape
     * @return {@code shape[0] * classes} values, row-major
     */
    float[] logits(float[] input, long[] shape);

    /** Releases the session and graph; idempotent. */
    @Override
    void close();
}
