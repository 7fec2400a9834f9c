package org.mrw.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.statistics.inference.BinomialTest;
import org.junit.jupiter.api.Test;

class McNemarTest {

    @Test
    void agrestiPresidentialApprovalMatchesRsMcnemarTest() {
        // Agresti (1990) p. 350, the example in R's ?mcnemar.test: 794 approve twice, 150 approve→disapprove,
        // 86 disapprove→approve, 570 disapprove twice. R prints: McNemar's chi-squared = 16.818, df = 1,
        // p-value = 4.115e-05 (pchisq gives 4.114562e-05).
        McNemar.Result r = McNemar.fromCounts(150, 86, 1600);
        assertThat(r.method()).isEqualTo(McNemar.CHI_SQUARE).isEqualTo("McNemar χ² with continuity correction");
        assertThat(r.statistic()).isCloseTo(63.0 * 63.0 / 236, within(1e-12)).isCloseTo(16.818, within(5e-4));
        assertThat(r.pValue()).isCloseTo(4.114562e-05, within(5e-11));
        assertThat(McNemar.fromCounts(86, 150, 1600).pValue()).isEqualTo(r.pValue());
    }

    @Test
    void exactTestMatchesHandEnumeratedBinomialTails() {
        // b = 1, c = 5: P(X ≤ 1) = (1 + 6)/64 for X ~ Bin(6, ½); two-sided 14/64.
        McNemar.Result r = McNemar.fromCounts(1, 5, 20);
        assertThat(r.method()).isEqualTo(McNemar.EXACT).isEqualTo("McNemar exact (binomial, two-sided)");
        assertThat(r.pValue()).isEqualTo(14.0 / 64);
        assertThat(r.statistic()).isEqualTo(1);
        assertThat(r.b()).isEqualTo(1);
        assertThat(r.c()).isEqualTo(5);
        assertThat(r.n()).isEqualTo(20);
        // b = 0, c = 10: 2 · 2^−10
        assertThat(McNemar.fromCounts(0, 10, 10).pValue()).isEqualTo(2.0 / 1024);
        // b = c: the observation is the centre, p = 1
        assertThat(McNemar.fromCounts(3, 3, 10).pValue()).isEqualTo(1);
    }

    @Test
    void exactTestFollowsBinomTestsDefinitionForEverySmallTable() {
        // R's binom.test: p = sum of P(X = k) over all k with P(X = k) ≤ P(X = b), X ~ Bin(b + c, ½).
        // Evaluated here in exact integers (C(m, k) against C(m, b)), independently of the tail formula.
        for (int m = 1; m < McNemar.EXACT_BELOW; m++) {
            for (int b = 0; b <= m; b++) {
                long observed = choose(m, b);
                long sum = 0;
                for (int k = 0; k <= m; k++) {
                    if (choose(m, k) <= observed) {
                        sum += choose(m, k);
                    }
                }
                double expected = Math.min(1, (double) sum / (1L << m));
                assertThat(McNemar.fromCounts(b, m - b, m).pValue()).as("b=%d c=%d", b, m - b)
                        .isCloseTo(expected, within(1e-15));
            }
        }
    }

    @Test
    void commonsBinomialTestMissesEquallyLikelyOutcomesWhichIsWhyWeDoNotDelegate() {
        // b = 2, c = 1: P(X = 1) = P(X = 2) = 3/8, so R's binom.test(2, 3) gives p = 1. commons-statistics 1.2
        // compares the two probabilities in floating point without R's 1e-7 tolerance and leaves X = 1 out.
        assertThat(BinomialTest.withDefaults().test(3, 2, 0.5).getPValue()).isCloseTo(5.0 / 8, within(1e-12));
        assertThat(McNemar.fromCounts(2, 1, 3).pValue()).isEqualTo(1);
    }

    private static long choose(int m, int k) {
        long c = 1;
        for (int i = 0; i < k; i++) {
            c = c * (m - i) / (i + 1);
        }
        return c;
    }

    @Test
    void noDiscordantPairsGivePOne() {
        McNemar.Result r = McNemar.test(new boolean[] {true, false, true}, new boolean[] {true, false, true});
        assertThat(r.pValue()).isEqualTo(1);
        assertThat(r.b() + r.c()).isZero();
        assertThat(r.n()).isEqualTo(3);
        assertThat(r.method()).isEqualTo(McNemar.EXACT);
        assertThat(McNemar.test(new boolean[0], new boolean[0]).pValue()).isEqualTo(1);
    }

    @Test
    void switchesToChiSquareAtTwentyFiveDiscordantPairs() {
        assertThat(McNemar.fromCounts(4, 20, 30).method()).isEqualTo(McNemar.EXACT);
        McNemar.Result r = McNemar.fromCounts(5, 20, 30);
        assertThat(r.method()).isEqualTo(McNemar.CHI_SQUARE);
        assertThat(r.statistic()).isCloseTo(14.0 * 14 / 25, within(1e-12));
    }

    @Test
    void equalDiscordantCountsGiveZeroStatisticLikeR() {
        // R drops the continuity correction when b = c, so χ² = 0 and p = 1 (not (|0| − 1)²/(b + c)).
        McNemar.Result r = McNemar.fromCounts(30, 30, 100);
        assertThat(r.statistic()).isZero();
        assertThat(r.pValue()).isEqualTo(1);
        assertThat(McNemar.fromCounts(13, 12, 100).statistic()).isZero();
    }

    @Test
    void countsDiscordantPairsFromOutcomes() {
        boolean[] a = {true, true, true, false, false, true};
        boolean[] b = {true, false, false, true, false, true};
        McNemar.Result r = McNemar.test(a, b);
        assertThat(r.b()).isEqualTo(2);
        assertThat(r.c()).isEqualTo(1);
        assertThat(r.n()).isEqualTo(6);
        // Bin(3, ½): P(X ≤ 1) = 4/8, two-sided 1
        assertThat(r.pValue()).isEqualTo(1);
    }

    @Test
    void rejectsImpossibleCountsAndUnpairedInput() {
        assertThatThrownBy(() -> McNemar.fromCounts(3, 3, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> McNemar.fromCounts(-1, 3, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> McNemar.test(new boolean[1], new boolean[2])).isInstanceOf(IllegalArgumentException.class);
    }
}
