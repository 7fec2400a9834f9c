package org.mrw.core.testing;

import java.util.Random;
import org.mrw.core.data.ImageBatch;

/** Seeded random canonical batches (NCHW, [0,1]) with random labels, for model tests. */
public final class RandomBatches {

    private RandomBatches() {
    }

    public static ImageBatch of(int n, int channels, int size, int classes, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * channels * size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new ImageBatch(pixels, labels, channels, size, size);
    }
}
