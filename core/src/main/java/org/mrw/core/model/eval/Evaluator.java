package org.mrw.core.model.eval;

import org.mrw.core.data.Dataset;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;

/** Runs a classifier over the first images of a dataset, batch by batch. */
public final class Evaluator {

    private Evaluator() {
    }

    /** Accuracy and throughput over images {@code [0, n)}; the clock covers forward passes only. */
    public static Evaluation evaluate(Classifier classifier, Dataset data, int n, int batchSize) {
        int[] predictions = new int[n];
        int correct = 0;
        long nanos = 0;
        for (int from = 0; from < n; from += batchSize) {
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
        }
        return new Evaluation(n, correct, nanos / 1e9, predictions);
    }
}
