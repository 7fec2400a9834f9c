package org.mrw.core.experiment;

import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;

/** A model run in this process (PC engines, and the desktop TFLite / PyTorch Mobile runtimes). */
public final class ModelTarget implements Target {

    private final String id;
    private final Classifier model;

    public ModelTarget(String id, Classifier model) {
        this.id = id;
        this.model = model;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String describe() {
        var i = model.info();
        return i.format().displayName() + " on " + i.runtime().displayName() + ", " + i.variant().name().toLowerCase(java.util.Locale.ROOT)
                + (i.runtime().mobile() ? ", mobile runtime on PC" : ", PC");
    }

    @Override
    public float[] logits(ImageBatch batch) {
        return model.logits(batch);
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }

    @Override
    public void close() {
        model.close();
    }
}
