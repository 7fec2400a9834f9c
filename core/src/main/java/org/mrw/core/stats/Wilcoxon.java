package org.mrw.core.stats;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Wilcoxon's signed-rank test on paired values (e.g. the margins two targets give the same samples):
 * is the distribution of the differences {@code a[i] − b[i]} symmetric about zero? Two-sided.
 *
 * <p>Absolute differences are ranked, ties getting their average rank; the statistic is
 * {@code V = W+}, the sum of the ranks of the positive differences (R's {@code V}). Zero differences
 * follow a named {@link Zeros} convention. The p-value is
 * <ul>
 * <li>{@value #EXACT} when fewer than {@value #EXACT_BELOW} non-zero differences remain and there are
 *     neither ties nor zeros: the null distribution of V is enumerated (each rank's sign equally likely),
 *     {@code p = min(1, 2·P(V ≤ v))} on the nearer tail. Same rule and result as R's {@code wilcox.test}.</li>
 * <li>{@value #NORMAL} otherwise: {@code z = (V − E[V] − ½·sign(V − E[V])) / sd}, with the variance
 *     reduced by {@code Σ(t³ − t)/48} over groups of t tied ranks. With {@link Zeros#WILCOX} this is R's
 *     {@code wilcox.test(..., exact = FALSE, correct = TRUE)}; with {@link Zeros#PRATT} the mean and
 *     variance also drop the zeros' ranks 1..n₀ (Cureton 1967), as in SciPy's {@code zero_method="pratt"}.</li>
 * <li>p = 1 when every difference is zero (or there are none): nothing to test.</li>
 * </ul>
 */
public final class Wilcoxon {

    /** Non-zero differences below which the exact distribution is used (R's rule: n &lt; 50). */
    public static final int EXACT_BELOW = 50;
    /** Method name of the exact test. */
    public static final String EXACT = "Wilcoxon signed-rank exact";
    /** Method name of the approximate test. */
    public static final String NORMAL = "Wilcoxon signed-rank normal approximation (tie and continuity corrected)";
    /** Method name when every difference is zero, or there are none. */
    public static final String ALL_ZERO = "Wilcoxon signed-rank (no non-zero differences: p = 1)";

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    /** What to do with zero differences. */
    public enum Zeros {
        /** Wilcoxon (1945): drop zero differences, then rank the rest. R's and SciPy's default. */
        WILCOX("Wilcoxon: zero differences dropped"),
        /** Pratt (1959): rank zeros with the rest, then leave their ranks out of V. */
        PRATT("Pratt: zero differences ranked, then dropped");

        private final String description;

        Zeros(String description) {
            this.description = description;
        }

        /** How the convention prints, e.g. in reports. */
        public String description() {
            return description;
        }
    }

    /**
     * A signed-rank test result.
     *
     * @param method     {@link #EXACT}, {@link #NORMAL} or {@link #ALL_ZERO}
     * @param zeros      the zero-difference convention applied
     * @param n          number of non-zero differences
     * @param zeroCount  number of zero differences
     * @param ties       whether some non-zero absolute differences tied
     * @param statistic  V = W+, the rank sum of the positive differences
     * @param z          the normal deviate (continuity corrected); NaN for the exact test
     * @param pValue     two-sided p-value
     */
    public record Result(String method, Zeros zeros, int n, int zeroCount, boolean ties, double statistic,
                         double z, double pValue) {
    }

    private Wilcoxon() {
    }

    /** The test on paired values: differences {@code a[i] − b[i]}. */
    public static Result test(double[] a, double[] b, Zeros zeros) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired values differ in length: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return test(d, zeros);
    }

    /** The test on differences. */
    public static Result test(double[] differences, Zeros zeros) {
        Objects.requireNonNull(zeros, "zeros");
        int zeroCount = 0;
        for (double v : differences) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("NaN difference");
            }
            if (v == 0) {
                zeroCount++;
            }
        }
        int n = differences.length - zeroCount;
        if (n == 0) {
            return new Result(ALL_ZERO, zeros, 0, zeroCount, false, 0, Double.NaN, 1);
        }
        // Pratt ranks the zeros too (they take the lowest ranks); Wilcox ranks only the non-zero values.
        double[] ranked = zeros == Zeros.PRATT ? differences : nonZero(differences, n);
        double[] ranks = averageRanks(ranked);
        double v = 0;
        for (int i = 0; i < ranked.length; i++) {
            if (ranked[i] > 0) {
                v += ranks[i];
            }
        }
        double tieTerm = tieTerm(ranked);
        boolean ties = tieTerm > 0;
        if (n < EXACT_BELOW && !ties && zeroCount == 0) {
            return new Result(EXACT, zeros, n, 0, false, v, Double.NaN, exactTwoSided((int) Math.round(v), n));
        }
        double all = ranked.length;
        double z0 = zeros == Zeros.PRATT ? zeroCount : 0;
        double mean = (all * (all + 1) - z0 * (z0 + 1)) / 4;
        double variance = (all * (all + 1) * (2 * all + 1) - z0 * (z0 + 1) * (2 * z0 + 1)) / 24 - tieTerm / 48;
        double x = v - mean;
        x -= Math.signum(x) * 0.5;
        double z = x / Math.sqrt(variance);
        double p = Math.min(1, 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z)));
        return new Result(NORMAL, zeros, n, zeroCount, ties, v, z, p);
    }

    /**
     * Exact two-sided p-value of V = v among n ranks without ties: counts of sign patterns per rank sum
     * by the recursion u_k(t) = u_{k−1}(t) + u_{k−1}(t − k); below 50 ranks all counts fit in a long.
     */
    static double exactTwoSided(int v, int n) {
        int max = n * (n + 1) / 2;
        int lower = Math.min(v, max - v);
        long[] u = new long[lower + 1];
        u[0] = 1;
        for (int k = 1; k <= n; k++) {
            for (int t = lower; t >= k; t--) {
                u[t] += u[t - k];
            }
        }
        long count = 0;
        for (long c : u) {
            count += c;
        }
        return Math.min(1, 2 * Math.scalb((double) count, -n));
    }

    private static double[] nonZero(double[] d, int n) {
        double[] out = new double[n];
        int j = 0;
        for (double v : d) {
            if (v != 0) {
                out[j++] = v;
            }
        }
        return out;
    }

    /** Ranks of |d| from 1, ties sharing the mean of their positions. */
    static double[] averageRanks(double[] d) {
        Integer[] order = new Integer[d.length];
        for (int i = 0; i < d.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(Math.abs(d[i]), Math.abs(d[j])));
        double[] ranks = new double[d.length];
        int i = 0;
        while (i < d.length) {
            int j = i;
            while (j + 1 < d.length && Math.abs(d[order[j + 1]]) == Math.abs(d[order[i]])) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    /** Σ(t³ − t) over groups of t equal non-zero |d|; zeros, ranked or not, never count as a tie group. */
    private static double tieTerm(double[] d) {
        double[] abs = Arrays.stream(d).map(Math::abs).filter(x -> x != 0).sorted().toArray();
        double sum = 0;
        int i = 0;
        while (i < abs.length) {
            int j = i;
            while (j + 1 < abs.length && abs[j + 1] == abs[i]) {
                j++;
            }
            double t = j - i + 1;
            sum += t * t * t - t;
            i = j + 1;
        }
        return sum;
    }
}
