package org.mrw.protocol;

/** The scores of one INFER batch. */
public final class InferResult {

    private final float[] scores;
    private final int batch;
    private final int classes;
    private final long inferNanos;
    private final long roundTripNanos;
    private final int requestBytes;
    private final String encoding;

    /** {@code requestBytes} and {@code encoding}: the INFER payload that was sent. */
    public InferResult(float[] scores, int batch, int classes, long inferNanos, long roundTripNanos, int requestBytes,
            String encoding) {
        if (scores.length != (long) batch * classes) {
            throw new IllegalArgumentException(scores.length + " scores for " + batch + " samples of " + classes + " classes");
        }
        this.scores = scores;
        this.batch = batch;
        this.classes = classes;
        this.inferNanos = inferNanos;
        this.roundTripNanos = roundTripNanos;
        this.requestBytes = requestBytes;
        this.encoding = encoding;
    }

    /** Bytes of the INFER payload (the batch as sent). */
    public int requestBytes() {
        return requestBytes;
    }

    /** The INFER payload's encoding ({@link Palette#FLOAT32}, {@link Palette#PALETTE8} or {@link Palette#PALETTE16}). */
    public String encoding() {
        return encoding;
    }

    /** Scores, {@code batch × classes}, row-major (not a copy). */
    public float[] scores() {
        return scores;
    }

    public int batch() {
        return batch;
    }

    public int classes() {
        return classes;
    }

    /** Time the runtime spent on the batch on the device (excludes transfer and (de)quantisation). */
    public long inferNanos() {
        return inferNanos;
    }

    /** Time from sending INFER to having read RESULT, measured by the client. */
    public long roundTripNanos() {
        return roundTripNanos;
    }

    /** The top class of sample {@code i} (first one on ties). */
    public int argmax(int i) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (scores[i * classes + c] > scores[i * classes + best]) {
                best = c;
            }
        }
        return best;
    }

    /** The top class of every sample. */
    public int[] predictions() {
        int[] p = new int[batch];
        for (int i = 0; i < batch; i++) {
            p[i] = argmax(i);
        }
        return p;
    }
}
