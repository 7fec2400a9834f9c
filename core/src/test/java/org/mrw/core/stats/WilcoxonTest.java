package org.mrw.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;
import org.junit.jupiter.api.Test;
import org.mrw.core.stats.Wilcoxon.Zeros;

class WilcoxonTest {

    private static final NormalDistribution N01 = NormalDistribution.of(0, 1);

    /** Cureton's plant-height differences, the example in SciPy's {@code scipy.stats.wilcoxon} documentation. */
    private static final double[] PLANTS = {6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75};

    private static double twoSided(double z) {
        return 2 * N01.survivalProbability(Math.abs(z));
    }

    @Test
    void depressionExampleMatchesRsWilcoxTest() {
        // Hollander & Wolfe (1973) p. 29, the paired example in R's ?wilcox.test. R prints V = 40 and, for
        // alternative = "greater", p-value = 0.01953 (= 10/512: ten of the 512 sign patterns have W− ≤ 5).
        double[] x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
        double[] y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
        Wilcoxon.Result r = Wilcoxon.test(x, y, Zeros.WILCOX);
        assertThat(r.method()).isEqualTo(Wilcoxon.EXACT);
        assertThat(r.statistic()).isEqualTo(40);
        assertThat(r.n()).isEqualTo(9);
        assertThat(r.pValue()).isEqualTo(2 * 10 / 512.0);
    }

    @Test
    void plantHeightsMatchScipysExactValue() {
        // SciPy docs: wilcoxon(d) → (24.0, 0.041259765625); SciPy reports min(W+, W−) = 24, R's V is W+ = 96.
        Wilcoxon.Result r = Wilcoxon.test(PLANTS, Zeros.WILCOX);
        assertThat(r.method()).isEqualTo(Wilcoxon.EXACT);
        assertThat(r.statistic()).isEqualTo(96);
        assertThat(r.pValue()).isEqualTo(0.041259765625);
    }

    @Test
    void normalApproximationReproducesScipysApproxValueUpToTheContinuityCorrection() {
        // A zero difference forces the approximation (as in R); Wilcox's convention drops it, leaving the
        // same 15 ranks. SciPy docs: wilcoxon(d, method='approx') (no continuity correction) → p =
        // 0.04088813291185591, i.e. z = (96 − 60)/√310 with E[V] = 15·16/4 and Var = 15·16·31/24.
        assertThat(twoSided(36 / Math.sqrt(310))).isCloseTo(0.04088813291185591, within(1e-15));
        double[] withZero = new double[PLANTS.length + 1];
        System.arraycopy(PLANTS, 0, withZero, 1, PLANTS.length);
        Wilcoxon.Result r = Wilcoxon.test(withZero, Zeros.WILCOX);
        assertThat(r.method()).isEqualTo(Wilcoxon.NORMAL);
        assertThat(r.zeroCount()).isEqualTo(1);
        assertThat(r.n()).isEqualTo(15);
        assertThat(r.statistic()).isEqualTo(96);
        assertThat(r.z()).isCloseTo(35.5 / Math.sqrt(310), within(1e-12));
        assertThat(r.pValue()).isCloseTo(twoSided(35.5 / Math.sqrt(310)), within(1e-15));
    }

    @Test
    void tiesUseAverageRanksAndTheTieCorrectedVariance() {
        // |d| = 1, 1, 2, 2, 3 → ranks 1.5, 1.5, 3.5, 3.5, 5; V = 1.5 + 3.5 + 3.5 + 5 = 13.5.
        // E[V] = 7.5; Var = 5·6·11/24 − (2³−2 + 2³−2)/48 = 13.75 − 0.25 = 13.5.
        double[] d = {1, -1, 2, 2, 3};
        Wilcoxon.Result r = Wilcoxon.test(d, Zeros.WILCOX);
        assertThat(r.method()).isEqualTo(Wilcoxon.NORMAL);
        assertThat(r.ties()).isTrue();
        assertThat(r.statistic()).isEqualTo(13.5);
        assertThat(r.z()).isCloseTo(5.5 / Math.sqrt(13.5), within(1e-12));
        assertThat(r.pValue()).isCloseTo(twoSided(5.5 / Math.sqrt(13.5)), within(1e-15));
        // Independent oracle: commons-statistics-inference 1.2 (Cureton approximation, continuity corrected).
        assertThat(r.pValue()).isCloseTo(WilcoxonSignedRankTest.withDefaults().test(d).getPValue(), within(1e-14));
    }

    @Test
    void prattRanksZerosThenDropsThem() {
        // d = 0, 0, 1, −2, 3, 4, 5: zeros take ranks 1.5, 1.5; then 3..7. V = 3 + 5 + 6 + 7 = 21.
        // Cureton: E[V] = (7·8 − 2·3)/4 = 12.5; Var = (7·8·15 − 2·3·5)/24 = 33.75.
        double[] d = {0, 0, 1, -2, 3, 4, 5};
        Wilcoxon.Result pratt = Wilcoxon.test(d, Zeros.PRATT);
        assertThat(pratt.method()).isEqualTo(Wilcoxon.NORMAL);
        assertThat(pratt.zeros()).isEqualTo(Zeros.PRATT);
        assertThat(pratt.zeroCount()).isEqualTo(2);
        assertThat(pratt.ties()).isFalse();
        assertThat(pratt.statistic()).isEqualTo(21);
        assertThat(pratt.z()).isCloseTo(8 / Math.sqrt(33.75), within(1e-12));
        // Wilcox: drop the zeros, ranks 1..5, V = 1 + 3 + 4 + 5 = 13; E = 7.5, Var = 13.75.
        Wilcoxon.Result wilcox = Wilcoxon.test(d, Zeros.WILCOX);
        assertThat(wilcox.statistic()).isEqualTo(13);
        assertThat(wilcox.z()).isCloseTo(5 / Math.sqrt(13.75), within(1e-12));
        assertThat(Zeros.WILCOX.description()).isEqualTo("Wilcoxon: zero differences dropped");
        assertThat(Zeros.PRATT.description()).isEqualTo("Pratt: zero differences ranked, then dropped");
    }

    @Test
    void prattWithOneZeroAgreesWithCommons() {
        double[] d = {0, 1.5, -2, 3, 4, 5, -6, 7};
        double expected = WilcoxonSignedRankTest.withDefaults().test(d).getPValue();
        assertThat(Wilcoxon.test(d, Zeros.PRATT).pValue()).isCloseTo(expected, within(1e-14));
    }

    @Test
    void commonsAlsoCountsSeveralZerosAsATieGroupWhichIsWhyWeDoNotDelegate() {
        // commons-statistics 1.2 subtracts (t₀³ − t₀)/48 for the t₀ zeros on top of Cureton's zero term;
        // SciPy's "pratt" and Cureton do not. With two zeros its variance is 33.625, ours 33.75.
        double[] d = {0, 0, 1, -2, 3, 4, 5};
        double commons = WilcoxonSignedRankTest.withDefaults().test(d).getPValue();
        assertThat(commons).isCloseTo(twoSided(8 / Math.sqrt(33.625)), within(1e-14));
        assertThat(Wilcoxon.test(d, Zeros.PRATT).pValue()).isCloseTo(twoSided(8 / Math.sqrt(33.75)), within(1e-14));
    }

    @Test
    void exactValuesAgreeWithCommonsForRandomSamplesBelowFifty() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n = 1; n < Wilcoxon.EXACT_BELOW; n++) {
            double[] d = random.doubles(n, -1, 2).toArray();
            Wilcoxon.Result r = Wilcoxon.test(d, Zeros.WILCOX);
            assertThat(r.method()).isEqualTo(Wilcoxon.EXACT);
            double expected = WilcoxonSignedRankTest.withDefaults().with(PValueMethod.EXACT).test(d).getPValue();
            assertThat(r.pValue()).as("n=%d", n).isCloseTo(expected, within(1e-14));
            assertThat(r.statistic()).isEqualTo(WilcoxonSignedRankTest.withDefaults().statistic(d));
        }
    }

    @Test
    void fiftyDifferencesUseTheNormalApproximationLikeR() {
        double[] d = new SplittableRandom(12).doubles(50, -1, 2).toArray();
        Wilcoxon.Result r = Wilcoxon.test(d, Zeros.WILCOX);
        assertThat(r.method()).isEqualTo(Wilcoxon.NORMAL);
        double expected = WilcoxonSignedRankTest.withDefaults().with(PValueMethod.ASYMPTOTIC).test(d).getPValue();
        assertThat(r.pValue()).isCloseTo(expected, within(1e-14));
    }

    @Test
    void smallExactCasesEnumeratedByHand() {
        // n = 1: V ∈ {0, 1} each with ½, two-sided p = 1.
        assertThat(Wilcoxon.test(new double[] {2.5}, Zeros.WILCOX).pValue()).isEqualTo(1);
        // n = 3, all positive: V = 6 only for +++, P = 1/8, two-sided 1/4.
        Wilcoxon.Result r = Wilcoxon.test(new double[] {0.1, 0.2, 0.3}, Zeros.WILCOX);
        assertThat(r.statistic()).isEqualTo(6);
        assertThat(r.pValue()).isEqualTo(0.25);
        // n = 4, V = 1 (only the smallest positive): patterns with V ≤ 1 are {} and {1}: 2/16, two-sided 1/4.
        assertThat(Wilcoxon.test(new double[] {1, -2, -3, -4}, Zeros.WILCOX).pValue()).isEqualTo(0.25);
    }

    @Test
    void allEqualPairsGivePOne() {
        Wilcoxon.Result r = Wilcoxon.test(new double[] {1, 2, 3}, new double[] {1, 2, 3}, Zeros.PRATT);
        assertThat(r.method()).isEqualTo(Wilcoxon.ALL_ZERO);
        assertThat(r.pValue()).isEqualTo(1);
        assertThat(r.zeroCount()).isEqualTo(3);
        assertThat(Wilcoxon.test(new double[0], Zeros.WILCOX).pValue()).isEqualTo(1);
    }

    @Test
    void swappingTheTargetsKeepsThePValue() {
        double[] a = {3.1, 2.0, 5.5, 1.2, 0.4, 2.2};
        double[] b = {1.0, 2.5, 1.5, 0.2, 0.1, 2.0};
        Wilcoxon.Result ab = Wilcoxon.test(a, b, Zeros.WILCOX);
        Wilcoxon.Result ba = Wilcoxon.test(b, a, Zeros.WILCOX);
        assertThat(ab.pValue()).isEqualTo(ba.pValue());
        assertThat(ab.statistic() + ba.statistic()).isEqualTo(21);
    }

    @Test
    void rejectsNaNAndUnpairedInput() {
        assertThatThrownBy(() -> Wilcoxon.test(new double[] {1, Double.NaN}, Zeros.WILCOX))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wilcoxon.test(new double[1], new double[2], Zeros.WILCOX))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
