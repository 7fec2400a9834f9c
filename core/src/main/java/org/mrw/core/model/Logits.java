package org.mrw.core.model;

/** Small helpers over row-major logits arrays (done in Java: ONNX Runtime's argMax overflows the stack). */
public final class Logits {

    private Logits() {
    }

    /** Index of the largest score in each of {@code n} rows of {@code classes} values. */
    public static int[] argMax(float[] logits, int n, int classes) {
        if (logits.length != (long) n * classes) {
            throw new IllegalArgumentException("expected " + n + "x" + classes + " scores, got " + logits.length);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            float bestValue = logits[i * classes];
            for (int c = 1; c < classes; c++) {
                float v = logits[i * classes + c];
                if (v > bestValue) {
                    bestValue = v;
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Per-row softmax cross-entropy against {@code labels}, computed stably. */
    public static float[] crossEntropy(float[] logits, int[] labels, int classes) {
        float[] loss = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[i * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[i * classes + c] - max);
            }
            loss[i] = (float) (Math.log(sum) + max - logits[i * classes + labels[i]]);
        }
        return loss;
    }
}
