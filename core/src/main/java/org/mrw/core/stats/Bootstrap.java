package org.mrw.core.stats;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence intervals (Efron &amp; Tibshirani 1993, ch. 13): resample the values
 * with replacement {@code B} times, compute the statistic on each resample, and take the
 * {@code (1−level)/2} and {@code (1+level)/2} quantiles of those replicates. Quantiles use R's default
 * definition (type 7: linear interpolation between order statistics).
 *
 * <p>Every interval starts from a fresh {@link SplittableRandom} with the configured seed, so a result
 * depends only on its own inputs and the configuration, never on what was computed before it.
 * Instances are immutable and thread-safe.
 *
 * <p>A percentile interval need not contain the point estimate when the bootstrap distribution is very
 * skewed (e.g. a median of few, spread values); for means of many values it does in practice.
 */
public final class Bootstrap {

    /** Default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 2000;
    /** Default confidence level. */
    public static final double DEFAULT_LEVEL = 0.95;

    private final long seed;
    private final int resamples;
    private final double level;

    private Bootstrap(long seed, int resamples, double level) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be ≥ 1: " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1): " + level);
        }
        this.seed = seed;
        this.resamples = resamples;
        this.level = level;
    }

    /** A bootstrap with {@value #DEFAULT_RESAMPLES} resamples at level 0.95, seeded with {@code seed}. */
    public static Bootstrap seeded(long seed) {
        return new Bootstrap(seed, DEFAULT_RESAMPLES, DEFAULT_LEVEL);
    }

    /** A copy with {@code b} resamples. */
    public Bootstrap withResamples(int b) {
        return new Bootstrap(seed, b, level);
    }

    /** A copy with confidence level {@code l} in (0, 1). */
    public Bootstrap withLevel(double l) {
        return new Bootstrap(seed, resamples, l);
    }

    public long seed() {
        return seed;
    }

    public int resamples() {
        return resamples;
    }

    public double level() {
        return level;
    }

    /**
     * Interval for {@code statistic} over per-sample {@code values} (e.g. 0/1 correctness with
     * {@link Statistic#MEAN} for an accuracy). No values give an all-NaN interval.
     */
    public Interval interval(double[] values, Statistic statistic) {
        Objects.requireNonNull(statistic, "statistic");
        int n = values.length;
        String method = describe(statistic.name());
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN, level, 0, method);
        }
        double estimate = statistic.of(values);
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicates = new double[resamples];
        double[] resample = new double[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                resample[i] = values[random.nextInt(n)];
            }
            replicates[r] = statistic.of(resample);
        }
        return finish(estimate, replicates, n, method);
    }

    /**
     * Paired interval for {@code statistic(a) − statistic(b)} where {@code a[i]} and {@code b[i]} belong to
     * the same sample: whole pairs are resampled, which keeps the correlation between the two targets
     * (for 0/1 correctness and {@link Statistic#MEAN}: the difference of accuracies).
     */
    public Interval pairedDifference(double[] a, double[] b, Statistic statistic) {
        Objects.requireNonNull(statistic, "statistic");
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired values differ in length: " + a.length + " vs " + b.length);
        }
        int n = a.length;
        String method = describe("paired difference of " + statistic.name() + "s");
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN, level, 0, method);
        }
        double estimate = statistic.of(a) - statistic.of(b);
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicates = new double[resamples];
        double[] ra = new double[n];
        double[] rb = new double[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(n);
                ra[i] = a[k];
                rb[i] = b[k];
            }
            replicates[r] = statistic.of(ra) - statistic.of(rb);
        }
        return finish(estimate, replicates, n, method);
    }

    /** Paired interval for accuracy(A) − accuracy(B) from per-sample correctness. */
    public Interval accuracyDifference(boolean[] correctA, boolean[] correctB) {
        return pairedDifference(indicators(correctA), indicators(correctB), Statistic.MEAN);
    }

    /** 1 for true, 0 for false. */
    public static double[] indicators(boolean[] flags) {
        double[] v = new double[flags.length];
        for (int i = 0; i < flags.length; i++) {
            v[i] = flags[i] ? 1 : 0;
        }
        return v;
    }

    private Interval finish(double estimate, double[] replicates, int n, String method) {
        Arrays.sort(replicates);
        double alpha = 1 - level;
        return new Interval(estimate, quantile(replicates, alpha / 2), quantile(replicates, 1 - alpha / 2),
                level, n, method);
    }

    /** R's type-7 quantile of sorted values: h = (n−1)p, linear interpolation between neighbours. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private String describe(String what) {
        return String.format(Locale.ROOT, "percentile bootstrap of the %s (B=%d, %s%%, seed %d)",
                what, resamples, new java.math.BigDecimal(Double.toString(level * 100)).stripTrailingZeros()
                        .toPlainString(), seed);
    }

    @Override
    public String toString() {
        return describe("statistic");
    }
}
