package org.mrw.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.store.ResultRow;

class BudgetCurvesTest {

    /** An unbounded Boundary row: the minimal adversarial of {@code sample}, of norm {@code l2}. */
    private static ResultRow boundary(String target, int sample, boolean correct, float l2) {
        return new ResultRow(sample, 0, Rows.FLOAT, "boundary", Double.POSITIVE_INFINITY, false, target, 0, correct ? 0 : 1,
                0.6f, correct ? 1f : -1f, l2 / 10, l2);
    }

    @Test
    void accuracyFallsFromCleanToAttackedAsTheBudgetGrows() {
        List<ResultRow> rows = new ArrayList<>();
        // source target: 4 samples right when clean, fooled at L2 1, 2, 3 and 4; sample 4 wrong when clean
        for (int s = 0; s < 4; s++) {
            rows.add(Rows.clean("src", s, true));
            rows.add(boundary("src", s, false, s + 1));
        }
        rows.add(Rows.clean("src", 4, false));
        rows.add(boundary("src", 4, false, 0));
        // a transfer target: fooled only by sample 3's adversarial (L2 4); sample 1 survives its L2 2
        for (int s = 0; s < 5; s++) {
            rows.add(Rows.clean("other", s, true));
            rows.add(boundary("other", s, s != 3, s == 4 ? 0 : s + 1));
        }
        List<BudgetCurves.Series> curves = BudgetCurves.of(rows, c -> true, false, 5, Bootstrap.seeded(1).withResamples(200));
        assertThat(curves).extracting(BudgetCurves.Series::target).containsExactly("other", "src");
        BudgetCurves.Series src = curves.get(1);
        // the axis ends at the 0.98 quantile of the fooling L2s (1, 2, 3, 4, 4): budgets 0, 1, 2, 3, 4
        assertThat(src.points()).extracting(BudgetCurves.Point::budget).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
        assertThat(src.points()).extracting(p -> p.value().estimate()).containsExactly(0.8, 0.6, 0.4, 0.2, 0.0);
        BudgetCurves.Series other = curves.get(0);
        assertThat(other.points()).extracting(p -> p.value().estimate()).containsExactly(1.0, 1.0, 1.0, 1.0, 0.8);
        assertThat(src.points().get(2).value().lower()).isLessThanOrEqualTo(0.4);
        assertThat(src.points().get(2).value().upper()).isGreaterThanOrEqualTo(0.4);
        assertThat(src.condition().attack()).isEqualTo("boundary");
    }

    @Test
    void successRateCountsOnlyImagesRightWhenClean() {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(Rows.clean("t", 0, true));
        rows.add(boundary("t", 0, false, 1));
        rows.add(Rows.clean("t", 1, true));
        rows.add(boundary("t", 1, true, 2)); // the attack's point did not fool this target
        rows.add(Rows.clean("t", 2, false));
        rows.add(boundary("t", 2, false, 0.5f));
        BudgetCurves.Series t = BudgetCurves.of(rows, c -> true, true, 2, Bootstrap.seeded(1).withResamples(100)).get(0);
        assertThat(t.points()).extracting(BudgetCurves.Point::budget).containsExactly(0.0, 1.0);
        assertThat(t.points()).extracting(p -> p.value().estimate()).containsExactly(0.0, 0.5);
        assertThat(t.points().get(1).value().n()).isEqualTo(2);
    }

    @Test
    void boundedConditionsAndRejectedOnesAreLeftOut() {
        List<ResultRow> rows = List.of(Rows.clean("t", 0, true), Rows.fgsm("t", 0, 0, false, -1f, 0.5f), boundary("t", 0, false, 1));
        assertThat(BudgetCurves.of(rows, c -> true, false, 3, Bootstrap.seeded(1))).hasSize(1);
        assertThat(BudgetCurves.of(rows, c -> !c.attack().equals("boundary"), false, 3, Bootstrap.seeded(1))).isEmpty();
        assertThatThrownBy(() -> BudgetCurves.of(rows, c -> true, false, 1, Bootstrap.seeded(1)))
                .hasMessageContaining("points must be in 2..1000");
    }
}
