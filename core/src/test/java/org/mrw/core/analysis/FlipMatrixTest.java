package org.mrw.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mrw.core.analysis.Rows.FLOAT;
import static org.mrw.core.analysis.Rows.INT8;
import static org.mrw.core.analysis.Rows.clean;
import static org.mrw.core.analysis.Rows.fgsm;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mrw.core.store.ResultRow;

class FlipMatrixTest {

    private static final Condition FGSM = new Condition(FLOAT, "fgsm", 0.1, false);

    @Test
    void cellsCountRightOnTheRowTargetAndWrongOnTheColumnTarget() {
        // MetricsTest's four samples under FGSM: float right on {0}; int8 right on {0, 3}
        FlipMatrix m = FlipMatrix.of(MetricsTest.fourSamples(), FGSM, 0);
        assertThat(m.targets()).containsExactly(FLOAT, INT8);
        assertThat(m.count(0, 1)).as("float right, int8 wrong").isZero();
        assertThat(m.count(1, 0)).as("int8 right, float wrong: sample 3").isEqualTo(1);
        assertThat(m.count(0, 0)).isZero();
        assertThat(m.judged()[0][1]).isEqualTo(4);
        assertThat(m.max()).isEqualTo(1);
    }

    @Test
    void offDiagonalPairsAreTheRunsMcNemarDiscordantCounts() {
        List<ResultRow> rows = MetricsTest.fourSamples();
        FlipMatrix m = FlipMatrix.of(rows, FGSM, 0);
        Comparison c = m.comparison(RunReport.of(rows, 1).comparisons(), 0, 1).orElseThrow();
        // A = float, B = int8 in the report: b = A right & B wrong, c = B right & A wrong
        assertThat(c.mcnemar().b()).isEqualTo(m.count(0, 1));
        assertThat(c.mcnemar().c()).isEqualTo(m.count(1, 0));
        assertThat(m.comparison(RunReport.of(rows, 1).comparisons(), 1, 0)).contains(c);
    }

    @Test
    void theCleanConditionShowsCleanDriftAndOnlyItsRepetitionCounts() {
        List<ResultRow> rows = new ArrayList<>(MetricsTest.fourSamples());
        rows.add(fgsm(INT8, 0, 1, false, -1f, 1f)); // repetition 1 must not leak into repetition 0
        Condition cleanCondition = Condition.of(clean(FLOAT, 0, true));
        FlipMatrix m = FlipMatrix.of(rows, cleanCondition, 0);
        assertThat(m.count(0, 1)).as("int8 wrong on clean sample 3").isEqualTo(1);
        assertThat(FlipMatrix.of(rows, FGSM, 1).targets()).containsExactly(INT8);
        assertThat(FlipMatrix.conditions(rows)).containsExactly(cleanCondition, FGSM);
        assertThat(FlipMatrix.repetitions(rows)).containsExactly(0, 1);
    }

    @Test
    void aSampleJudgedTwiceIsRefused() {
        List<ResultRow> rows = new ArrayList<>(MetricsTest.fourSamples());
        rows.add(fgsm(FLOAT, 2, 0, true, 1f, 1f));
        assertThatThrownBy(() -> FlipMatrix.of(rows, FGSM, 0)).hasMessageContaining("judged twice").hasMessageContaining("sample 2");
    }
}
