package org.mrw.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static double[] coinFlips(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextBoolean() ? 1 : 0;
        }
        return v;
    }

    @Test
    void sameSeedGivesTheSameIntervalAndAnotherSeedAnother() {
        double[] v = coinFlips(200, 1);
        Interval a = Bootstrap.seeded(7).interval(v, Statistic.MEAN);
        Interval b = Bootstrap.seeded(7).interval(v, Statistic.MEAN);
        Interval c = Bootstrap.seeded(8).interval(v, Statistic.MEAN);
        assertThat(a).isEqualTo(b);
        assertThat(c.estimate()).isEqualTo(a.estimate());
        assertThat(new double[] {c.lower(), c.upper()}).isNotEqualTo(new double[] {a.lower(), a.upper()});
    }

    @Test
    void accuracyIntervalContainsTheEstimateAndShrinksLikeOneOverRootN() {
        Bootstrap boot = Bootstrap.seeded(42);
        Interval small = boot.interval(coinFlips(40, 3), Statistic.MEAN);
        Interval large = boot.interval(coinFlips(4000, 3), Statistic.MEAN);
        assertThat(small.contains(small.estimate())).isTrue();
        assertThat(large.contains(large.estimate())).isTrue();
        assertThat(small.lower()).isGreaterThanOrEqualTo(0);
        assertThat(small.upper()).isLessThanOrEqualTo(1);
        // Normal theory for p ≈ ½: width ≈ 2·1.96·√(p(1−p)/n), i.e. 0.031 at n = 4000.
        double p = large.estimate();
        assertThat(large.width()).isCloseTo(2 * 1.96 * Math.sqrt(p * (1 - p) / 4000), within(0.004));
        assertThat(large.width()).isLessThan(small.width() / 5);
    }

    @Test
    void twoValuesGiveTheHandEnumeratedInterval() {
        // Resampling {0, 1} twice: mean 0 w.p. ¼, ½ w.p. ½, 1 w.p. ¼, so the 2.5% and 97.5% quantiles are 0 and 1.
        Interval i = Bootstrap.seeded(1).interval(new double[] {0, 1}, Statistic.MEAN);
        assertThat(i.estimate()).isEqualTo(0.5);
        assertThat(i.lower()).isEqualTo(0);
        assertThat(i.upper()).isEqualTo(1);
        assertThat(i.n()).isEqualTo(2);
    }

    @Test
    void allEqualValuesAndASingleValueGiveADegenerateInterval() {
        Interval same = Bootstrap.seeded(1).interval(new double[] {0.3, 0.3, 0.3}, Statistic.MEDIAN);
        assertThat(same.estimate()).isEqualTo(0.3);
        assertThat(same.lower()).isEqualTo(0.3);
        assertThat(same.upper()).isEqualTo(0.3);
        Interval one = Bootstrap.seeded(1).interval(new double[] {1}, Statistic.MEAN);
        assertThat(one.lower()).isEqualTo(1);
        assertThat(one.upper()).isEqualTo(1);
    }

    @Test
    void noValuesGiveNaNNotAnError() {
        Interval none = Bootstrap.seeded(1).interval(new double[0], Statistic.MEAN);
        assertThat(none.estimate()).isNaN();
        assertThat(none.lower()).isNaN();
        assertThat(none.upper()).isNaN();
        assertThat(none.n()).isZero();
    }

    @Test
    void lowerLevelGivesANarrowerInterval() {
        double[] v = coinFlips(300, 5);
        Interval ci95 = Bootstrap.seeded(3).interval(v, Statistic.MEAN);
        Interval ci50 = Bootstrap.seeded(3).withLevel(0.5).interval(v, Statistic.MEAN);
        assertThat(ci50.width()).isLessThan(ci95.width());
        assertThat(ci50.level()).isEqualTo(0.5);
    }

    @Test
    void methodNamesTheBootstrapAndItsConfiguration() {
        Interval i = Bootstrap.seeded(7).withResamples(500).interval(new double[] {1, 2}, Statistic.MEDIAN);
        assertThat(i.method()).isEqualTo("percentile bootstrap of the median (B=500, 95%, seed 7)");
        assertThat(Bootstrap.seeded(7).withLevel(0.9).accuracyDifference(new boolean[] {true}, new boolean[] {false})
                .method()).isEqualTo("percentile bootstrap of the paired difference of means (B=2000, 90%, seed 7)");
    }

    @Test
    void pairedDifferenceOfIdenticalTargetsIsExactlyZero() {
        boolean[] a = {true, false, true, true, false};
        Interval d = Bootstrap.seeded(2).accuracyDifference(a, a.clone());
        assertThat(d.estimate()).isZero();
        assertThat(d.lower()).isZero();
        assertThat(d.upper()).isZero();
    }

    @Test
    void pairedDifferenceKeepsPairsTogether() {
        // A is right wherever B is, and on 5 more of 100 samples: every paired resample has A ≥ B,
        // so the interval cannot reach below 0 (an unpaired bootstrap would, at this n).
        boolean[] a = new boolean[100];
        boolean[] b = new boolean[100];
        for (int i = 0; i < 100; i++) {
            b[i] = i % 2 == 0;
            a[i] = b[i] || i < 10;
        }
        Interval d = Bootstrap.seeded(9).accuracyDifference(a, b);
        assertThat(d.estimate()).isCloseTo(0.05, within(1e-12));
        assertThat(d.lower()).isGreaterThanOrEqualTo(0);
        assertThat(d.contains(0.05)).isTrue();
    }

    @Test
    void quantileIsRsTypeSeven() {
        double[] s = {1, 2, 3, 4};
        // R: quantile(1:4, c(0, .25, .5, 1)) = 1, 1.75, 2.5, 4
        assertThat(Bootstrap.quantile(s, 0)).isEqualTo(1);
        assertThat(Bootstrap.quantile(s, 0.25)).isEqualTo(1.75);
        assertThat(Bootstrap.quantile(s, 0.5)).isEqualTo(2.5);
        assertThat(Bootstrap.quantile(s, 1)).isEqualTo(4);
    }

    @Test
    void medianAndMeanFollowTheTextbook() {
        assertThat(Statistic.MEDIAN.of(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Statistic.MEDIAN.of(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Statistic.MEAN.of(new double[] {1, 0, 0, 1})).isEqualTo(0.5);
        assertThat(Statistic.SUM.of(new double[] {1, 0, 1})).isEqualTo(2);
    }

    @Test
    void rejectsBadConfigurationAndUnpairedInput() {
        assertThatThrownBy(() -> Bootstrap.seeded(1).withResamples(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bootstrap.seeded(1).withLevel(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bootstrap.seeded(1).accuracyDifference(new boolean[2], new boolean[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
