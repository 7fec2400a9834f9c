package org.mrw.core.experiment;

import org.mrw.core.data.ImageBatch;

/**
 * Where images are judged: a model in this process, or (Step 5) a model on a device behind its agent.
 * The experiment runner only sees this interface.
 */
public interface Target extends AutoCloseable {

    /** Stable id used in result rows. */
    String id();

    /** Human description: framework, runtime, variant, platform. */
    String describe();

    /** {@code batch.size() * classes} scores. */
    float[] logits(ImageBatch batch);

    int numClasses();

    @Override
    void close();
}
