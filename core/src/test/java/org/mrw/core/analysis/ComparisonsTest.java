package org.mrw.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mrw.core.analysis.Rows.FLOAT;
import static org.mrw.core.analysis.Rows.INT8;
import static org.mrw.core.analysis.Rows.clean;
import static org.mrw.core.analysis.Rows.fgsm;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.stats.McNemar;
import org.mrw.core.stats.Wilcoxon;
import org.mrw.core.store.ResultRow;

class ComparisonsTest {

    private static final Bootstrap BOOT = Bootstrap.seeded(2021);

    @Test
    void pairsTheTargetsPerConditionIncludingClean() {
        List<Comparison> all = Comparisons.paired(MetricsTest.fourSamples(), FLOAT, INT8, BOOT, Wilcoxon.Zeros.WILCOX);
        assertThat(all).extracting(c -> c.condition().attack()).containsExactly("clean", "fgsm");

        Comparison clean = all.get(0);
        assertThat(clean.condition().clean()).isTrue();
        assertThat(clean.n()).isEqualTo(4);
        assertThat(clean.accuracyA()).isEqualTo(1.0);
        assertThat(clean.accuracyB()).isEqualTo(0.75);
        assertThat(clean.mcnemar().b()).isEqualTo(1);
        assertThat(clean.mcnemar().c()).isZero();
        assertThat(clean.mcnemar().pValue()).isEqualTo(1);
        // clean margins are ±2 in these rows: differences 0, 0, 0, 4 → one non-zero difference
        assertThat(clean.wilcoxon().n()).isEqualTo(1);
        assertThat(clean.wilcoxon().zeroCount()).isEqualTo(3);
    }

    @Test
    void attackConditionGivesHandComputedTests() {
        Comparison fgsm = Comparisons.paired(MetricsTest.fourSamples(), FLOAT, INT8, BOOT, Wilcoxon.Zeros.WILCOX).get(1);
        assertThat(fgsm.repetition()).isZero();
        assertThat(fgsm.accuracyA()).isEqualTo(0.25);
        assertThat(fgsm.accuracyB()).isEqualTo(0.5);
        assertThat(fgsm.accuracyDifference().estimate()).isEqualTo(-0.25);
        assertThat(fgsm.accuracyDifference().contains(-0.25)).isTrue();
        // correctness float T F F F, int8 T F F T: b = 0, c = 1
        assertThat(fgsm.mcnemar().method()).isEqualTo(McNemar.EXACT);
        assertThat(fgsm.mcnemar().b()).isZero();
        assertThat(fgsm.mcnemar().c()).isEqualTo(1);
        assertThat(fgsm.mcnemar().pValue()).isEqualTo(1);
        // margins float 1, −1, −2, −3 and int8 2, −0.5, −1, 1: differences −1, −0.5, −1, −4;
        // ranks 2.5, 1, 2.5, 4, V = 0, E = 5, Var = 4·5·9/24 − (2³−2)/48 = 7.375.
        Wilcoxon.Result w = fgsm.wilcoxon();
        assertThat(w.method()).isEqualTo(Wilcoxon.NORMAL);
        assertThat(w.statistic()).isZero();
        assertThat(w.ties()).isTrue();
        double z = -4.5 / Math.sqrt(7.375);
        assertThat(w.z()).isCloseTo(z, within(1e-12));
        assertThat(w.pValue()).isCloseTo(2 * NormalDistribution.of(0, 1).cumulativeProbability(z), within(1e-15));
        assertThat(fgsm.method()).contains(McNemar.EXACT, Wilcoxon.NORMAL, "paired difference of means",
                "Wilcoxon: zero differences dropped");
    }

    @Test
    void onlySamplesBothTargetsJudgedArePaired() {
        List<ResultRow> rows = new ArrayList<>(MetricsTest.fourSamples());
        rows.add(fgsm(FLOAT, 9, 0, true, 3f, 1f));
        rows.add(fgsm(INT8, 8, 0, true, 3f, 1f));
        Comparison fgsm = Comparisons.paired(rows, FLOAT, INT8, BOOT, Wilcoxon.Zeros.WILCOX).get(1);
        assertThat(fgsm.n()).isEqualTo(4);
        assertThat(fgsm.mcnemar().n()).isEqualTo(4);
    }

    @Test
    void repetitionsArePairedRepetitionByRepetition() {
        List<ResultRow> rows = new ArrayList<>(MetricsTest.fourSamples());
        rows.add(fgsm(FLOAT, 0, 1, true, 1f, 1f));
        rows.add(fgsm(INT8, 0, 1, false, -1f, 1f));
        rows.add(fgsm(INT8, 1, 2, false, -1f, 1f));
        List<Comparison> all = Comparisons.paired(rows, FLOAT, INT8, BOOT, Wilcoxon.Zeros.PRATT);
        assertThat(all).extracting(Comparison::repetition).containsExactly(0, 0, 1);
        Comparison r1 = all.get(2);
        assertThat(r1.n()).isEqualTo(1);
        assertThat(r1.mcnemar().b()).isEqualTo(1);
        assertThat(r1.wilcoxon().zeros()).isEqualTo(Wilcoxon.Zeros.PRATT);
    }

    @Test
    void identicalTargetsShowNoDifference() {
        List<ResultRow> rows = new ArrayList<>();
        for (ResultRow r : MetricsTest.fourSamples()) {
            if (r.target().equals(FLOAT)) {
                rows.add(r);
                rows.add(new ResultRow(r.sample(), r.label(), r.source(), r.attack(), r.epsilon(), r.rounded(),
                        "copy", r.repetition(), r.prediction(), r.confidence(), r.margin(), r.linf(), r.l2()));
            }
        }
        for (Comparison c : Comparisons.paired(rows, FLOAT, "copy", BOOT, Wilcoxon.Zeros.WILCOX)) {
            assertThat(c.mcnemar().pValue()).isEqualTo(1);
            assertThat(c.wilcoxon().pValue()).isEqualTo(1);
            assertThat(c.wilcoxon().method()).isEqualTo(Wilcoxon.ALL_ZERO);
            assertThat(c.accuracyDifference().lower()).isZero();
            assertThat(c.accuracyDifference().upper()).isZero();
        }
    }

    @Test
    void nanMarginsAreLeftOutOfTheSignedRankTestOnly() {
        List<ResultRow> rows = List.of(clean(FLOAT, 0, true), clean(INT8, 0, true),
                new ResultRow(1, 0, "", ResultRow.CLEAN, 0, false, FLOAT, 0, 0, 0.9f, Float.NaN, 0f, 0f),
                clean(INT8, 1, false));
        Comparison c = Comparisons.paired(rows, FLOAT, INT8, BOOT, Wilcoxon.Zeros.WILCOX).get(0);
        assertThat(c.n()).isEqualTo(2);
        assertThat(c.mcnemar().b()).isEqualTo(1);
        assertThat(c.wilcoxon().n() + c.wilcoxon().zeroCount()).isEqualTo(1);
    }

    @Test
    void sameSeedGivesIdenticalComparisonsAndSelfComparisonIsRejected() {
        assertThat(Comparisons.paired(MetricsTest.fourSamples(), FLOAT, INT8, Bootstrap.seeded(3), Wilcoxon.Zeros.WILCOX))
                .isEqualTo(Comparisons.paired(MetricsTest.fourSamples(), FLOAT, INT8, Bootstrap.seeded(3),
                        Wilcoxon.Zeros.WILCOX));
        assertThatThrownBy(() -> Comparisons.paired(List.of(), FLOAT, FLOAT, BOOT, Wilcoxon.Zeros.WILCOX))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
