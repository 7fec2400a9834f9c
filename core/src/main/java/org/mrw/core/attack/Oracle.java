package org.mrw.core.attack;

import java.util.Arrays;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;

/**
 * The attacked model as a black-box attack sees it: predictions or scores for a stack of candidate
 * images, every image counted as one query. Large stacks go to the model in a few big calls, never
 * one image at a time: a remote or phone model pays per call, not per image.
 */
final class Oracle {

    /** Most pixel values sent in one call (16 MB of floats): bounds memory when n·k candidates are many. */
    static final int MAX_VALUES_PER_CALL = 1 << 22;

    private final Classifier model;
    private final Goal goal;
    private final int channels;
    private final int height;
    private final int width;
    private final int size;
    private long queries;

    Oracle(Classifier model, ImageBatch clean, Goal goal) {
        if (goal.size() != clean.size()) {
            throw new AttackException(goal.size() + " goals for " + clean.size() + " images");
        }
        this.model = model;
        this.goal = goal;
        this.channels = clean.channels();
        this.height = clean.height();
        this.width = clean.width();
        this.size = clean.imageSize();
    }

    /** Images that fit in one call. */
    int imagesPerCall() {
        return Math.max(1, MAX_VALUES_PER_CALL / size);
    }

    /** Images queried so far. */
    long queries() {
        return queries;
    }

    /** Predicted classes of every image in {@code pixels}. */
    int[] predict(float[] pixels) {
        int count = pixels.length / size;
        int[] out = new int[count];
        int step = imagesPerCall();
        for (int from = 0; from < count; from += step) {
            int to = Math.min(count, from + step);
            int[] part = model.predict(batch(pixels, from, to, count));
            System.arraycopy(part, 0, out, from, to - from);
        }
        queries += count;
        return out;
    }

    /** Scores of every image in {@code pixels}, row-major. */
    float[] logits(float[] pixels) {
        int count = pixels.length / size;
        int classes = model.numClasses();
        float[] out = new float[count * classes];
        int step = imagesPerCall();
        for (int from = 0; from < count; from += step) {
            int to = Math.min(count, from + step);
            float[] part = model.logits(batch(pixels, from, to, count));
            System.arraycopy(part, 0, out, from * classes, (to - from) * classes);
        }
        queries += count;
        return out;
    }

    /** Whether candidate {@code j}, made for image {@code owners[j]}, reaches that image's goal. */
    boolean[] reached(float[] pixels, int[] owners) {
        int[] predicted = predict(pixels);
        boolean[] out = new boolean[predicted.length];
        for (int j = 0; j < predicted.length; j++) {
            out[j] = goal.reached(owners[j], predicted[j]);
        }
        return out;
    }

    int numClasses() {
        return model.numClasses();
    }

    private ImageBatch batch(float[] pixels, int from, int to, int count) {
        float[] part = from == 0 && to == count ? pixels : Arrays.copyOfRange(pixels, from * size, to * size);
        int[] unknown = new int[to - from];
        Arrays.fill(unknown, -1);
        return new ImageBatch(part, unknown, channels, height, width);
    }
}
