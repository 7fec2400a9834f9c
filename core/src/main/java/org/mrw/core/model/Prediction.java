package org.mrw.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A classifier's verdict on one image: the arg-max class and its softmax probability (how sure it is).
 *
 * @param label      the predicted class index
 * @param confidence softmax probability of {@code label}, in (0, 1]
 */
public record Prediction(int label, float confidence) {

    /** The verdict on each of {@code n} rows of {@code classes} logits (softmax computed stably). */
    public static List<Prediction> of(float[] logits, int n, int classes) {
        int[] best = Logits.argMax(logits, n, classes);
        List<Prediction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double max = logits[i * classes + best[i]];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[i * classes + c] - max);
            }
            out.add(new Prediction(best[i], (float) (1 / sum)));
        }
        return out;
    }
}
