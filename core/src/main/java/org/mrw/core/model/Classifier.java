package org.mrw.core.model;

import org.mrw.core.data.ImageBatch;

/**
 * An image classifier in any runtime. It takes batches in canonical form (NCHW, [0,1]) and converts
 * them to its own input itself ({@link #input()}), so callers never see layouts or normalisation.
 * Native resources are released by {@link #close()}; per-batch memory is released before
 * {@link #logits} returns.
 */
public interface Classifier extends AutoCloseable {

    /** What was loaded: file, format, runtime, variant. */
    ModelInfo info();

    /** How canonical images become this model's input, and its class names. */
    InputSpec input();

    /** Number of output classes. */
    int numClasses();

    /**
     * Raw scores (logits, or dequantized outputs of an int8 model) for every image:
     * {@code batch.size() * numClasses()} values, row-major.
     */
    float[] logits(ImageBatch batch);

    /** The arg-max class of every image. */
    default int[] predict(ImageBatch batch) {
        return Logits.argMax(logits(batch), batch.size(), numClasses());
    }

    /** Releases native memory; idempotent. */
    @Override
    void close();
}
