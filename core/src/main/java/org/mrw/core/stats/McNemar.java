package org.mrw.core.stats;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * McNemar's test for paired binary outcomes (McNemar 1947; Agresti, <i>Categorical Data Analysis</i>,
 * 1990, §10.1): did targets A and B get the same samples right as often? Only the discordant pairs
 * count: {@code b} samples A got right and B wrong, {@code c} the reverse. Under the null hypothesis
 * each discordant pair is equally likely to go either way.
 *
 * <ul>
 * <li>{@code b + c < }{@value #EXACT_BELOW}: {@value #EXACT}: {@code p = min(1, 2·P(X ≤ min(b, c)))},
 *     X ~ Binomial(b + c, ½), the same as R's {@code binom.test(b, b + c)}. The statistic is {@code b}.</li>
 * <li>otherwise {@value #CHI_SQUARE}: {@code χ² = (|b − c| − 1)² / (b + c)} on 1 degree of freedom,
 *     the same as R's {@code mcnemar.test} (which also drops the correction when b = c, giving χ² = 0).</li>
 * <li>{@code b + c = 0}: nothing to test, p = 1 (exact method, statistic 0).</li>
 * </ul>
 */
public final class McNemar {

    /** Discordant-pair count from which the χ² approximation is used. */
    public static final int EXACT_BELOW = 25;
    /** Method name of the exact test. */
    public static final String EXACT = "McNemar exact (binomial, two-sided)";
    /** Method name of the approximate test. */
    public static final String CHI_SQUARE = "McNemar χ² with continuity correction";

    private McNemar() {
    }

    /**
     * A McNemar test result.
     *
     * @param method    {@link #EXACT} or {@link #CHI_SQUARE}
     * @param b         pairs A judged correctly and B did not
     * @param c         pairs B judged correctly and A did not
     * @param n         all pairs (concordant included)
     * @param statistic {@code b} for the exact test, χ² for the approximation
     * @param pValue    two-sided p-value
     */
    public record Result(String method, int b, int c, int n, double statistic, double pValue) {
    }

    /** The test on per-sample correctness of A and B ({@code correctA[i]}, {@code correctB[i]} judge the same sample). */
    public static Result test(boolean[] correctA, boolean[] correctB) {
        if (correctA.length != correctB.length) {
            throw new IllegalArgumentException("paired outcomes differ in length: "
                    + correctA.length + " vs " + correctB.length);
        }
        int b = 0;
        int c = 0;
        for (int i = 0; i < correctA.length; i++) {
            if (correctA[i] && !correctB[i]) {
                b++;
            } else if (!correctA[i] && correctB[i]) {
                c++;
            }
        }
        return fromCounts(b, c, correctA.length);
    }

    /** The test from discordant counts {@code b}, {@code c} out of {@code n} pairs. */
    public static Result fromCounts(int b, int c, int n) {
        if (b < 0 || c < 0 || b + c > n) {
            throw new IllegalArgumentException("need 0 ≤ b, c and b + c ≤ n: b=" + b + " c=" + c + " n=" + n);
        }
        int m = b + c;
        if (m < EXACT_BELOW) {
            return new Result(EXACT, b, c, n, b, exactTwoSided(Math.min(b, c), m));
        }
        double d = Math.max(0, Math.abs(b - c) - 1.0);
        double chi2 = d * d / m;
        return new Result(CHI_SQUARE, b, c, n, chi2, ChiSquaredDistribution.of(1).survivalProbability(chi2));
    }

    /** min(1, 2·P(X ≤ k)) for X ~ Binomial(m, ½), summed exactly (m &lt; 25 keeps C(m, i) and 2^m exact in doubles). */
    static double exactTwoSided(int k, int m) {
        if (m == 0) {
            return 1;
        }
        double tail = 0;
        double choose = 1;
        for (int i = 0; i <= k; i++) {
            tail += choose;
            choose = choose * (m - i) / (i + 1);
        }
        return Math.min(1, 2 * Math.scalb(tail, -m));
    }
}
