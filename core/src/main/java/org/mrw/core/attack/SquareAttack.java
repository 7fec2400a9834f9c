package org.mrw.core.attack;

import java.util.Locale;
import java.util.SplittableRandom;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;

/**
 * Square Attack (Andriushchenko, Croce, Flammarion and Hein, "Square Attack: a query-efficient
 * black-box adversarial attack via random search", ECCV 2020), the L∞ version: a score-based random
 * search that needs only the model's logits.
 *
 * <ul>
 *   <li>Loss: the margin between the kept class and the best other logit ({@link Goal#margin}); the
 *       search lowers it, and an image stops as soon as the goal is reached.</li>
 *   <li>Start: vertical stripes, each column of each channel moved by ±ε at random.</li>
 *   <li>Each query: one random square of side {@code round(√(p·h·w))} (at least 1, at most h−1) set to
 *       ±ε per channel around the clean image; kept if it lowers the loss. The fraction p starts at
 *       {@code pInit} (default {@value #DEFAULT_P_INIT}, the paper's L∞ value) and halves at the
 *       paper's points of the budget (10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000 of 10 000,
 *       rescaled to the budget).</li>
 *   <li>Budget: {@value #DEFAULT_QUERIES} queries per image and ε ({@code --steps}), the start included;
 *       the paper uses 10 000, which this caps at for a practical default on slow or remote models.</li>
 * </ul>
 *
 * <p>The whole sweep runs as one stack of n·|ε| images: each iteration is one model call with one
 * candidate for every image and budget still running. Clean images that already reach the goal are
 * returned unchanged. Every adversarial stays in [0,1] and within its ε.
 */
public final class SquareAttack implements Attack {

    private static final AttackTraits TRAITS = AttackTraits.fixedBudget("square", Norm.LINF, Access.SCORES);

    public static final int DEFAULT_QUERIES = 1000;
    public static final double DEFAULT_P_INIT = 0.05;
    /** Redraws of a square's signs when they would change nothing (as in the reference code). */
    private static final int REDRAWS = 10;

    private final int queries;
    private final double pInit;

    public SquareAttack() {
        this(DEFAULT_QUERIES, DEFAULT_P_INIT);
    }

    /**
     * @param queries query budget per image and ε, {@code >= 1}
     * @param pInit   initial fraction of the image a square covers, in (0, 1]
     */
    public SquareAttack(int queries, double pInit) {
        if (queries < 1 || queries > 1_000_000) {
            throw new AttackException("square: queries must be in 1..1000000, got " + queries);
        }
        if (!(pInit > 0) || pInit > 1) {
            throw new AttackException("square: p_init must be in (0, 1], got " + pInit);
        }
        this.queries = queries;
        this.pInit = pInit;
    }

    @Override
    public AttackTraits traits() {
        return TRAITS;
    }

    public int queries() {
        return queries;
    }

    @Override
    public Adversarials generate(Classifier model, ImageBatch clean, Goal goal, double[] epsilons, AttackContext context) {
        WhiteBox.checkEpsilons(epsilons);
        int n = clean.size();
        int size = clean.imageSize();
        int channels = clean.channels();
        int height = clean.height();
        int width = clean.width();
        int classes = model.numClasses();
        int sweeps = epsilons.length;
        int stacked = n * sweeps;
        float[] original = clean.pixels();
        float[] origin = Perturbations.repeat(original, sweeps);
        Oracle oracle = new Oracle(model, clean, goal);
        SplittableRandom rng = context.random();
        context.checkCancelled();

        float[] cleanLogits = oracle.logits(original);
        float[] best = origin.clone();
        double[] loss = new double[stacked];
        boolean[] running = new boolean[stacked];
        for (int p = 0; p < stacked; p++) {
            int i = p % n;
            // nothing to search within ε = 0, nor for an image the model already gets wrong
            running[p] = epsilons[p / n] > 0 && goal.margin(cleanLogits, i, classes) <= 0;
        }

        int[] start = DecisionSearch.indicesOf(running);
        float[] stripes = new float[start.length * size];
        for (int q = 0; q < start.length; q++) {
            int p = start[q];
            double eps = epsilons[p / n];
            int base = p * size;
            for (int c = 0; c < channels; c++) {
                for (int w = 0; w < width; w++) {
                    double sign = rng.nextBoolean() ? eps : -eps;
                    for (int h = 0; h < height; h++) {
                        int j = (c * height + h) * width + w;
                        stripes[q * size + j] = clip(origin[base + j] + sign);
                    }
                }
            }
        }
        judge(oracle, stripes, start, best, loss, running, goal, n, size, classes, true);
        context.progress().update(1, queries, "square query 1/" + queries);

        float[] window = new float[channels];
        for (int it = 1; it < queries; it++) {
            context.checkCancelled();
            int[] active = DecisionSearch.indicesOf(running);
            if (active.length == 0) {
                break;
            }
            int side = squareSide(pFraction(pInit, it, queries), height, width);
            float[] candidates = new float[active.length * size];
            for (int q = 0; q < active.length; q++) {
                int p = active[q];
                double eps = epsilons[p / n];
                int base = p * size;
                System.arraycopy(best, base, candidates, q * size, size);
                int top = rng.nextInt(height - side + 1);
                int left = rng.nextInt(width - side + 1);
                for (int tries = 0; tries < REDRAWS; tries++) {
                    for (int c = 0; c < channels; c++) {
                        window[c] = rng.nextBoolean() ? (float) eps : (float) -eps;
                    }
                    if (changes(best, origin, base, window, top, left, side, height, width)) {
                        break;
                    }
                }
                for (int c = 0; c < channels; c++) {
                    for (int h = top; h < top + side; h++) {
                        for (int w = left; w < left + side; w++) {
                            int j = (c * height + h) * width + w;
                            candidates[q * size + j] = clip(origin[base + j] + window[c]);
                        }
                    }
                }
            }
            judge(oracle, candidates, active, best, loss, running, goal, n, size, classes, false);
            context.progress().update(it + 1, queries, "square query " + (it + 1) + "/" + queries);
        }
        float[][] out = new float[sweeps][];
        for (int e = 0; e < sweeps; e++) {
            out[e] = java.util.Arrays.copyOfRange(best, e * n * size, (e + 1) * n * size);
            // float rounding of clean ± ε can land a hair outside the ball; the runner's budget check is strict
            Perturbations.project(out[e], original, n, size, Norm.LINF, epsilons[e]);
        }
        return Adversarials.fixed(epsilons, out, oracle.queries() / (double) n);
    }

    /**
     * Queries {@code candidates} (one per entry of {@code which}) and keeps each one that lowers its
     * loss, or every one when {@code first}; an entry that reaches the goal stops running.
     */
    private static void judge(Oracle oracle, float[] candidates, int[] which, float[] best, double[] loss, boolean[] running,
                              Goal goal, int n, int size, int classes, boolean first) {
        if (which.length == 0) {
            return;
        }
        float[] logits = oracle.logits(candidates);
        for (int q = 0; q < which.length; q++) {
            int p = which[q];
            double value = -goal.margin(logits, q, classes, p % n);
            if (first || value < loss[p]) {
                loss[p] = value;
                System.arraycopy(candidates, q * size, best, p * size, size);
            }
            if (value < 0) {
                running[p] = false;
            }
        }
    }

    /** Whether writing the window's signs would change any pixel of the current best (else redraw). */
    private static boolean changes(float[] best, float[] origin, int base, float[] window, int top, int left, int side,
                                   int height, int width) {
        for (int c = 0; c < window.length; c++) {
            for (int h = top; h < top + side; h++) {
                for (int w = left; w < left + side; w++) {
                    int j = base + (c * height + h) * width + w;
                    if (Math.abs(clip(origin[j] + window[c]) - best[j]) > 1e-7f) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The paper's schedule for p: halvings at fixed fractions of the budget (reference code's p_selection). */
    static double pFraction(double pInit, int iteration, int budget) {
        int it = (int) ((long) iteration * 10_000 / budget);
        int[] bounds = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000, 10_000};
        for (int k = 0; k < bounds.length - 1; k++) {
            if (it > bounds[k] && it <= bounds[k + 1]) {
                return pInit / (2 << k);
            }
        }
        return pInit;
    }

    /** Side of the square covering about p of the image, kept in 1..h−1 (as the reference code does). */
    static int squareSide(double p, int height, int width) {
        int s = (int) Math.round(Math.sqrt(p * height * width));
        return Math.max(1, Math.min(s, Math.min(height, width) - 1));
    }

    private static float clip(double v) {
        return (float) Math.min(1.0, Math.max(0.0, v));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Square linf, %d queries, p_init %.3g", queries, pInit);
    }
}
