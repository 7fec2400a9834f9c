package org.mrw.core.attack;

import java.util.ArrayList;
import java.util.List;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelInfo;

/** A classifier that passes every call on and records the batch size of each, to see how an attack queries. */
final class CountingClassifier implements Classifier {

    private final Classifier inner;
    private final List<Integer> batches = new ArrayList<>();

    CountingClassifier(Classifier inner) {
        this.inner = inner;
    }

    /** Batch size of every call so far, in order. */
    synchronized List<Integer> batches() {
        return List.copyOf(batches);
    }

    synchronized int calls() {
        return batches.size();
    }

    synchronized long images() {
        return batches.stream().mapToLong(Integer::longValue).sum();
    }

    @Override
    public ModelInfo info() {
        return inner.info();
    }

    @Override
    public InputSpec input() {
        return inner.input();
    }

    @Override
    public int numClasses() {
        return inner.numClasses();
    }

    @Override
    public float[] logits(ImageBatch batch) {
        synchronized (this) {
            batches.add(batch.size());
        }
        return inner.logits(batch);
    }

    @Override
    public void close() {
        // the wrapped model belongs to the test class
    }
}
