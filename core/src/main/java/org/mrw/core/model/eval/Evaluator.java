package org.mrw.core.model.eval;

import org.mrw.core.data.Dataset;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/** Runs a classifier over the first images of a dataset, batch by batch. */
public final class Evaluator {

    private Evaluator() {
    }

    /** Accuracy and throughput over images {@code [0, n)}; the clock covers forward passes only. */
    public static Evaluation evaluate(Classifier classifier, Dataset data, int n, int batchSize) {
        return evaluate(classifier, data, n, batchSize, Progress.NONE, Cancellation.NONE);
    }

    /**
     * As {@link #evaluate(Classifier, Dataset, int, int)}, reporting images done after every batch and
     * stopping between batches when cancelled ({@link java.util.concurrent.CancellationException}).
     */
    public static Evaluation evaluate(Classifier classifier, Dataset data, int n, int batchSize, Progress progress,
            Cancellation cancellation) {
        int[] predictions = new int[n];
        int correct = 0;
        long nanos = 0;
        for (int from = 0; from < n; from += batchSize) {
            cancellation.check();
            ImageBatch batch = data.batch(from, Math.min(batchSize, n - from));
            long start = System.nanoTime();
            int[] predicted = classifier.predict(batch);
            nanos += System.nanoTime() - start;
            for (int i = 0; i < predicted.length; i++) {
                predictions[from + i] = predicted[i];
                if (predicted[i] == batch.labels()[i]) {
                    correct++;
                }
            }
            progress.update(from + predicted.length, n, "evaluated " + (from + predicted.length) + " of " + n + " images");
        }
        return new Evaluation(n, correct, nanos / 1e9, predictions);
    }
}
