package org.mrw.core.attack;

import java.util.ArrayList;
import java.util.List;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.LogitGradient;
import org.mrw.core.model.LossGradient;
import org.mrw.core.model.ModelInfo;

/**
 * Passes every call on to a model and records the batch size of each forward and each gradient call,
 * to see how an attack queries. Gradient calls need a differentiable inner model.
 */
final class CountingClassifier implements GradientClassifier {

    private final Classifier inner;
    private final List<Integer> batches = new ArrayList<>();
    private final List<Integer> gradientBatches = new ArrayList<>();

    CountingClassifier(Classifier inner) {
        this.inner = inner;
    }

    /** Batch size of every forward call so far, in order. */
    synchronized List<Integer> batches() {
        return List.copyOf(batches);
    }

    synchronized int calls() {
        return batches.size();
    }

    synchronized long images() {
        return batches.stream().mapToLong(Integer::longValue).sum();
    }

    synchronized int gradientCalls() {
        return gradientBatches.size();
    }

    /** Images over all gradient calls (one forward and backward each). */
    synchronized long gradientImages() {
        return gradientBatches.stream().mapToLong(Integer::longValue).sum();
    }

    synchronized int largestGradientBatch() {
        return gradientBatches.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    @Override
    public boolean differentiable() {
        return inner instanceof GradientClassifier g && g.differentiable();
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
    public LossGradient lossGradient(ImageBatch batch, int[] labels) {
        return gradients(batch).lossGradient(batch, labels);
    }

    @Override
    public LogitGradient logitGradient(ImageBatch batch, float[] weights) {
        return gradients(batch).logitGradient(batch, weights);
    }

    private synchronized GradientClassifier gradients(ImageBatch batch) {
        if (!(inner instanceof GradientClassifier g)) {
            throw new IllegalStateException(inner.info().id() + " has no gradients");
        }
        gradientBatches.add(batch.size());
        return g;
    }

    @Override
    public void close() {
        // the wrapped model belongs to the test class
    }
}
