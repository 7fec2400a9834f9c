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
import org.junit.jupiter.api.Test;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.store.ResultRow;

class MetricsTest {

    private static final Bootstrap BOOT = Bootstrap.seeded(2021);
    private static final Condition FGSM = new Condition(FLOAT, "fgsm", 0.1, false);

    /**
     * Four samples. Clean: float right on all, int8 wrong on sample 3. FGSM (made on float), repetition 0:
     * float right only on 0; int8 right on 0 and 3. L2 = 0.5, 1, 1.5, 4 for both.
     */
    static List<ResultRow> fourSamples() {
        List<ResultRow> rows = new ArrayList<>();
        float[] l2 = {0.5f, 1f, 1.5f, 4f};
        boolean[] floatAdv = {true, false, false, false};
        boolean[] int8Clean = {true, true, true, false};
        boolean[] int8Adv = {true, false, false, true};
        float[] floatMargin = {1f, -1f, -2f, -3f};
        float[] int8Margin = {2f, -0.5f, -1f, 1f};
        for (int s = 0; s < 4; s++) {
            rows.add(clean(FLOAT, s, true));
            rows.add(clean(INT8, s, int8Clean[s]));
            rows.add(fgsm(FLOAT, s, 0, floatAdv[s], floatMargin[s], l2[s]));
            rows.add(fgsm(INT8, s, 0, int8Adv[s], int8Margin[s], l2[s]));
        }
        return rows;
    }

    private static GroupMetrics find(List<GroupMetrics> all, String target, int repetition) {
        return all.stream().filter(m -> m.target().equals(target) && m.repetition() == repetition)
                .findFirst().orElseThrow();
    }

    @Test
    void handBuiltGroupsGiveHandComputedMetrics() {
        List<GroupMetrics> all = Metrics.of(fourSamples(), BOOT);
        // float rep 0, float pooled, int8 rep 0, int8 pooled; clean rows are baselines, not groups
        assertThat(all).extracting(GroupMetrics::target).containsExactly(FLOAT, FLOAT, INT8, INT8);
        assertThat(all).extracting(GroupMetrics::condition).containsOnly(FGSM);

        GroupMetrics f = find(all, FLOAT, 0);
        assertThat(f.n()).isEqualTo(4);
        assertThat(f.cleanAccuracy().estimate()).isEqualTo(1.0);
        assertThat(f.adversarialAccuracy().estimate()).isEqualTo(0.25);
        assertThat(f.successRate().estimate()).isEqualTo(0.75);
        assertThat(f.successRate().n()).isEqualTo(4);
        assertThat(f.flipsToWrong().estimate()).isEqualTo(3);
        assertThat(f.flipsToCorrect().estimate()).isEqualTo(0);
        assertThat(f.meanL2().estimate()).isEqualTo(1.75);
        assertThat(f.medianL2().estimate()).isEqualTo(1.25);
        // the perturbations that fooled it: samples 1, 2, 3 (L2 1, 1.5, 4)
        assertThat(f.medianL2Fooled().estimate()).isEqualTo(1.5);
        assertThat(f.medianL2Fooled().n()).isEqualTo(3);
        assertThat(f.unperturbed().estimate()).isZero();
        assertThat(f.meanLinf().estimate()).isCloseTo(0.1, within(1e-7));
        assertThat(f.medianLinf().estimate()).isCloseTo(0.1, within(1e-7));

        // int8's own clean baseline: sample 3 was already wrong, so it is no attack success, and coming
        // right under attack is a flip to correct.
        GroupMetrics q = find(all, INT8, 0);
        assertThat(q.cleanAccuracy().estimate()).isEqualTo(0.75);
        assertThat(q.adversarialAccuracy().estimate()).isEqualTo(0.5);
        assertThat(q.successRate().estimate()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(q.successRate().n()).isEqualTo(3);
        assertThat(q.flipsToWrong().estimate()).isEqualTo(2);
        assertThat(q.flipsToCorrect().estimate()).isEqualTo(1);
        // fooled int8: samples 1 and 2 (sample 3 was wrong when clean)
        assertThat(q.medianL2Fooled().estimate()).isEqualTo(1.25);
    }

    @Test
    void intervalsContainTheirEstimatesAndNameTheirMethod() {
        for (GroupMetrics m : Metrics.of(fourSamples(), BOOT)) {
            assertThat(m.adversarialAccuracy().contains(m.adversarialAccuracy().estimate())).isTrue();
            assertThat(m.successRate().contains(m.successRate().estimate())).isTrue();
            assertThat(m.meanL2().contains(m.meanL2().estimate())).isTrue();
            assertThat(m.adversarialAccuracy().lower()).isBetween(0.0, 1.0);
            assertThat(m.adversarialAccuracy().method())
                    .isEqualTo("percentile bootstrap of the mean (B=2000, 95%, seed 2021)");
            assertThat(m.flipsToWrong().method()).contains("of the sum");
        }
    }

    @Test
    void sameSeedGivesIdenticalMetrics() {
        assertThat(Metrics.of(fourSamples(), Bootstrap.seeded(5)))
                .isEqualTo(Metrics.of(fourSamples(), Bootstrap.seeded(5)));
    }

    @Test
    void repetitionsAreReportedEachAndPooledPerSample() {
        List<ResultRow> rows = new ArrayList<>(fourSamples());
        // Repetition 1 of float (its clean pass ran once, in repetition 0): right on 0 and 1.
        float[] l2 = {1f, 1f, 1f, 1f};
        boolean[] adv = {true, true, false, false};
        for (int s = 0; s < 4; s++) {
            rows.add(fgsm(FLOAT, s, 1, adv[s], 0f, l2[s]));
        }
        List<GroupMetrics> all = Metrics.of(rows, BOOT);
        assertThat(all).filteredOn(m -> m.target().equals(FLOAT)).extracting(GroupMetrics::repetition)
                .containsExactly(0, 1, GroupMetrics.POOLED);

        GroupMetrics r1 = find(all, FLOAT, 1);
        assertThat(r1.adversarialAccuracy().estimate()).isEqualTo(0.5);
        assertThat(r1.successRate().estimate()).isEqualTo(0.5);
        assertThat(r1.cleanAccuracy().estimate()).isEqualTo(1.0);

        // Per sample over the two repetitions: right 1, ½, 0, 0 → 0.375; successes 0, ½, 1, 1 → 0.625;
        // flips to wrong are the expected count per repetition, (3 + 2)/2.
        GroupMetrics pooled = find(all, FLOAT, GroupMetrics.POOLED);
        assertThat(pooled.pooled()).isTrue();
        assertThat(pooled.repetitions()).isEqualTo(2);
        assertThat(pooled.n()).isEqualTo(4);
        assertThat(pooled.adversarialAccuracy().estimate()).isEqualTo(0.375);
        assertThat(pooled.successRate().estimate()).isEqualTo(0.625);
        assertThat(pooled.flipsToWrong().estimate()).isEqualTo(2.5);
        // L2 per sample: (0.5+1)/2, (1+1)/2, (1.5+1)/2, (4+1)/2 → mean 1.375
        assertThat(pooled.meanL2().estimate()).isEqualTo(1.375);
        assertThat(pooled.method()).contains("averaged over its 2 repetition(s)");
    }

    @Test
    void cleanRowOfTheSameRepetitionWinsOverTheFirst() {
        List<ResultRow> rows = List.of(
                clean(FLOAT, 0, true, 0), clean(FLOAT, 0, false, 1),
                fgsm(FLOAT, 0, 0, false, -1f, 1f), fgsm(FLOAT, 0, 1, false, -1f, 1f));
        List<GroupMetrics> all = Metrics.of(rows, BOOT);
        assertThat(find(all, FLOAT, 0).flipsToWrong().estimate()).isEqualTo(1);
        assertThat(find(all, FLOAT, 1).flipsToWrong().estimate()).isEqualTo(0);
        assertThat(find(all, FLOAT, 1).successRate().estimate()).isNaN();
    }

    @Test
    void samplesWithoutACleanRowCountOnlyForAdversarialAccuracy() {
        List<ResultRow> rows = List.of(clean(FLOAT, 0, true),
                fgsm(FLOAT, 0, 0, false, -1f, 1f), fgsm(FLOAT, 1, 0, true, 1f, 1f));
        GroupMetrics m = Metrics.of(rows, BOOT).get(0);
        assertThat(m.n()).isEqualTo(2);
        assertThat(m.adversarialAccuracy().estimate()).isEqualTo(0.5);
        assertThat(m.cleanAccuracy().n()).isEqualTo(1);
        assertThat(m.successRate().estimate()).isEqualTo(1.0);
        assertThat(m.successRate().n()).isEqualTo(1);
    }

    @Test
    void targetWithNoCleanSampleRightHasNaNSuccessRate() {
        List<ResultRow> rows = List.of(clean(INT8, 0, false), fgsm(INT8, 0, 0, false, -1f, 1f));
        GroupMetrics m = Metrics.of(rows, BOOT).get(0);
        assertThat(m.successRate().estimate()).isNaN();
        assertThat(m.successRate().n()).isZero();
        assertThat(m.cleanAccuracy().estimate()).isZero();
    }

    @Test
    void singleSampleGivesADegenerateInterval() {
        List<ResultRow> rows = List.of(clean(FLOAT, 0, true), fgsm(FLOAT, 0, 0, false, -1f, 2f));
        GroupMetrics m = Metrics.of(rows, BOOT).get(0);
        assertThat(m.meanL2().lower()).isEqualTo(2);
        assertThat(m.meanL2().upper()).isEqualTo(2);
        assertThat(m.successRate().lower()).isEqualTo(1);
    }

    @Test
    void duplicateJudgementsAreRejected() {
        List<ResultRow> rows = List.of(fgsm(FLOAT, 0, 0, true, 1f, 1f), fgsm(FLOAT, 0, 0, false, 1f, 1f));
        assertThatThrownBy(() -> Metrics.of(rows, BOOT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("judged twice");
    }

    @Test
    void noRowsGiveNoMetrics() {
        assertThat(Metrics.of(List.of(), BOOT)).isEmpty();
    }

    @Test
    void imagesTheAttackLeftUnchangedAreCounted() {
        List<ResultRow> rows = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            rows.add(clean(FLOAT, s, true));
            // sample 2: no adversarial start was found, the target is shown its clean image
            float l2 = s == 2 ? 0f : 0.4f;
            rows.add(new ResultRow(s, 0, FLOAT, "boundary", Double.POSITIVE_INFINITY, false, FLOAT, 0, s == 2 ? 0 : 1,
                    0.6f, s == 2 ? 1f : -1f, l2 / 4, l2));
        }
        GroupMetrics m = find(Metrics.of(rows, BOOT), FLOAT, GroupMetrics.POOLED);
        assertThat(m.unperturbed().estimate()).isEqualTo(1);
        assertThat(m.successRate().estimate()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.medianL2Fooled().estimate()).isCloseTo(0.4, within(1e-6));
    }
}
