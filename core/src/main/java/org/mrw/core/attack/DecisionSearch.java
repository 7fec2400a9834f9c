package org.mrw.core.attack;

import java.util.SplittableRandom;

/**
 * Steps shared by the decision-based attacks (Boundary, HopSkipJump): finding an adversarial start from
 * random noise, binary search along the line to the clean image, and a final check of what was found.
 * Every image of the batch is handled in the same model call.
 */
final class DecisionSearch {

    private DecisionSearch() {
    }

    /**
     * Adversarial points for each image, and which images have one.
     *
     * @param points     one image per clean image; meaningful only where {@code found}
     * @param found      whether the image has an adversarial point
     * @param cleanAlready whether the clean image already reaches the goal (its point is the clean image)
     */
    record Start(float[] points, boolean[] found, boolean[] cleanAlready) {

        int count() {
            int c = 0;
            for (boolean f : found) {
                c += f ? 1 : 0;
            }
            return c;
        }
    }

    /**
     * Queries the clean images, then draws uniform noise for the images whose clean version misses the
     * goal, up to {@code draws} rounds of one draw per unresolved image, all images in one call per round.
     * Noise is the usual start (Brendel et al. 2018; Chen et al. 2020): for an untargeted goal almost any
     * noise is adversarial; for a targeted one only noise the model puts in the target class is.
     */
    static Start noiseStart(Oracle oracle, float[] clean, int n, int size, int draws, SplittableRandom rng,
                            AttackContext context) {
        context.checkCancelled();
        float[] points = clean.clone();
        boolean[] cleanAlready = oracle.reached(clean, identity(n));
        boolean[] found = cleanAlready.clone();
        for (int round = 0; round < draws; round++) {
            context.checkCancelled();
            int[] pending = missing(found);
            if (pending.length == 0) {
                break;
            }
            float[] noise = new float[pending.length * size];
            for (int j = 0; j < noise.length; j++) {
                noise[j] = (float) rng.nextDouble();
            }
            boolean[] hit = oracle.reached(noise, pending);
            for (int k = 0; k < pending.length; k++) {
                if (hit[k]) {
                    System.arraycopy(noise, k * size, points, pending[k] * size, size);
                    found[pending[k]] = true;
                }
            }
        }
        return new Start(points, found, cleanAlready);
    }

    /** Other clean images tried per image without a start, nearest first: bounds one call's size. */
    static final int DATA_CANDIDATES = 8;

    /**
     * {@link #noiseStart}, then, when {@code policy} is {@link DecisionStart#DATA}, for each image still
     * without a start the nearest of up to {@value #DATA_CANDIDATES} other clean images of the batch that
     * reaches the goal (all candidates queried in one call).
     */
    static Start start(DecisionStart policy, Oracle oracle, float[] clean, int n, int size, int draws, SplittableRandom rng,
                       AttackContext context) {
        Start start = noiseStart(oracle, clean, n, size, draws, rng, context);
        int[] pending = missing(start.found());
        if (policy != DecisionStart.DATA || pending.length == 0 || n < 2) {
            return start;
        }
        context.checkCancelled();
        int per = Math.min(DATA_CANDIDATES, n - 1);
        int[][] chosen = new int[pending.length][];
        float[] candidates = new float[pending.length * per * size];
        int[] owners = new int[pending.length * per];
        for (int k = 0; k < pending.length; k++) {
            int i = pending[k];
            chosen[k] = nearestOthers(clean, i, n, size, per);
            for (int c = 0; c < per; c++) {
                System.arraycopy(clean, chosen[k][c] * size, candidates, (k * per + c) * size, size);
                owners[k * per + c] = i;
            }
        }
        boolean[] hit = oracle.reached(candidates, owners);
        float[] points = start.points();
        boolean[] found = start.found();
        for (int k = 0; k < pending.length; k++) {
            for (int c = 0; c < per; c++) { // nearest first: the first hit is the closest start
                if (hit[k * per + c]) {
                    System.arraycopy(candidates, (k * per + c) * size, points, pending[k] * size, size);
                    found[pending[k]] = true;
                    break;
                }
            }
        }
        return new Start(points, found, start.cleanAlready());
    }

    /** Indices of the {@code count} clean images nearest (L2) to image {@code i}, itself excluded. */
    private static int[] nearestOthers(float[] clean, int i, int n, int size, int count) {
        Integer[] order = new Integer[n - 1];
        double[] d = new double[n];
        for (int j = 0, o = 0; j < n; j++) {
            if (j != i) {
                double sum = 0;
                for (int p = 0; p < size; p++) {
                    double diff = (double) clean[j * size + p] - clean[i * size + p];
                    sum += diff * diff;
                }
                d[j] = sum;
                order[o++] = j;
            }
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(j -> d[j]));
        int[] out = new int[count];
        for (int c = 0; c < count; c++) {
            out[c] = order[c];
        }
        return out;
    }

    /**
     * Moves each adversarial point of {@code images} along the line towards its clean image, to the
     * blend {@code clean + α·(point - clean)} with the smallest α that is still adversarial, within
     * {@code tolerance} in α. Every probe is queried, so the result is adversarial by the model's own answer.
     */
    static void towardsClean(Oracle oracle, float[] clean, float[] points, int[] images, int size, double tolerance,
                             AttackContext context) {
        int m = images.length;
        double[] low = new double[m];
        double[] high = new double[m];
        java.util.Arrays.fill(high, 1.0);
        float[] far = new float[m * size];
        for (int k = 0; k < m; k++) {
            System.arraycopy(points, images[k] * size, far, k * size, size);
        }
        while (true) {
            context.checkCancelled();
            int open = 0;
            for (int k = 0; k < m; k++) {
                open += high[k] - low[k] > tolerance ? 1 : 0;
            }
            if (open == 0) {
                break;
            }
            int[] which = new int[open];
            int[] owners = new int[open];
            float[] mids = new float[open * size];
            for (int k = 0, q = 0; k < m; k++) {
                if (high[k] - low[k] > tolerance) {
                    blend(clean, far, images[k], k, (low[k] + high[k]) / 2, mids, q, size);
                    which[q] = k;
                    owners[q++] = images[k];
                }
            }
            boolean[] adversarial = oracle.reached(mids, owners);
            for (int q = 0; q < open; q++) {
                int k = which[q];
                double mid = (low[k] + high[k]) / 2;
                if (adversarial[q]) {
                    high[k] = mid;
                } else {
                    low[k] = mid;
                }
            }
        }
        for (int k = 0; k < m; k++) {
            if (high[k] < 1.0) {
                blend(clean, far, images[k], k, high[k], points, images[k], size);
            }
        }
    }

    /** Writes {@code clean[image] + α·(far[k] - clean[image])} into slot {@code slot} of {@code out}. */
    private static void blend(float[] clean, float[] far, int image, int k, double alpha, float[] out, int slot, int size) {
        int c = image * size;
        int f = k * size;
        int o = slot * size;
        for (int j = 0; j < size; j++) {
            out[o + j] = (float) (clean[c + j] + alpha * (far[f + j] - clean[c + j]));
        }
    }

    /**
     * Re-queries every found point and keeps only those the model really puts where the goal says, so a
     * claimed minimal perturbation is never one the model disagrees with (a noisy or non-deterministic
     * model could otherwise slip one through).
     */
    static boolean[] confirm(Oracle oracle, float[] points, boolean[] found, int size) {
        int[] images = indicesOf(found);
        boolean[] out = new boolean[found.length];
        if (images.length == 0) {
            return out;
        }
        float[] stack = new float[images.length * size];
        for (int k = 0; k < images.length; k++) {
            System.arraycopy(points, images[k] * size, stack, k * size, size);
        }
        boolean[] reached = oracle.reached(stack, images);
        for (int k = 0; k < images.length; k++) {
            out[images[k]] = reached[k];
        }
        return out;
    }

    /** Indices where {@code flags} is true. */
    static int[] indicesOf(boolean[] flags) {
        int c = 0;
        for (boolean f : flags) {
            c += f ? 1 : 0;
        }
        int[] out = new int[c];
        for (int i = 0, k = 0; i < flags.length; i++) {
            if (flags[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static int[] missing(boolean[] flags) {
        boolean[] inverse = new boolean[flags.length];
        for (int i = 0; i < flags.length; i++) {
            inverse[i] = !flags[i];
        }
        return indicesOf(inverse);
    }

    static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** L2 length of image {@code i}'s change from clean. */
    static double distance(float[] x, float[] clean, int i, int size) {
        return Norm.L2.distance(x, clean, i, size);
    }
}
