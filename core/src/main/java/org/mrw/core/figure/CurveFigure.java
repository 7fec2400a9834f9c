package org.mrw.core.figure;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.mrw.core.analysis.BudgetCurves;
import org.mrw.core.analysis.Condition;
import org.mrw.core.analysis.GroupMetrics;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.store.ResultRow;

/**
 * What a robustness-curve figure shows, as {@code report --figure} and the Export view choose it:
 * accuracy or success rate, one plot or panels per framework / deployment, attack and source filters,
 * float or 8-bit rounded adversarials, how intervals and ε ticks are drawn.
 *
 * @param success      attack success rate instead of accuracy
 * @param grouping     panels, or null for one plot
 * @param attack       only this attack (null: all)
 * @param source       only adversarials of this source (null: all)
 * @param rounded      the 8-bit rounded adversarials instead of the float ones
 * @param uncertainty  how the 95 % intervals are drawn
 * @param epsilonTicks decimal or k/255 ticks
 * @param title        chart title or null
 * @param fitValues    fit the value axis to the data instead of showing all of [0, 1] (small differences
 *                     become visible; say so in the caption)
 */
public record CurveFigure(boolean success, RobustnessCurves.Grouping grouping, String attack, String source, boolean rounded,
                          RobustnessCurves.Uncertainty uncertainty, RobustnessCurves.EpsilonTicks epsilonTicks, String title,
                          boolean fitValues) {

    /** Budgets drawn on an L2-budget curve: few enough that every point keeps its marker legible. */
    public static final int BUDGET_POINTS = 16;

    /** The x-axis label of curves of 8-bit rounded adversarials: placed at the mean L∞ after rounding. */
    public static final String ROUNDED_AXIS = "effective ε (8-bit)";

    /** The x-axis label of curves against the L2 budget. */
    public static final String BUDGET_AXIS = "L2 budget (minimal adversarials)";

    public CurveFigure {
        Objects.requireNonNull(uncertainty, "uncertainty");
        Objects.requireNonNull(epsilonTicks, "epsilonTicks");
    }

    /** Accuracy vs ε of every curve in one plot, float adversarials, bands, decimal ticks. */
    public static CurveFigure defaults() {
        return new CurveFigure(false, null, null, null, false, RobustnessCurves.Uncertainty.BAND,
                RobustnessCurves.EpsilonTicks.DECIMAL, null, false);
    }

    /** The curves this figure draws (empty when the filters match nothing). */
    public List<Curve> curves(List<GroupMetrics> metrics) {
        return ReportCurves.of(metrics, new ReportCurves.Filter(success, rounded, attack, source));
    }

    /**
     * The chart.
     *
     * @throws IllegalArgumentException when nothing matches the filters (the message says which to drop)
     */
    public JFreeChart chart(List<GroupMetrics> metrics) {
        List<Curve> curves = curves(metrics);
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("nothing to draw: no finite-ε results match attack " + (attack == null ? "any" : attack)
                    + ", source " + (source == null ? "any" : source) + (rounded ? " and 8-bit rounding" : "") + "; drop a filter");
        }
        return chart(curves, epsilonAxis());
    }

    /** The ε-axis label: rounded adversarials are drawn at their effective ε ({@link ReportCurves#of}). */
    public String epsilonAxis() {
        return rounded ? ROUNDED_AXIS : "ε";
    }

    /**
     * The chart over ε when the filters take bounded results, else over the L2 budget for the unbounded
     * minimisation attacks they take ({@link #budgetCurves}); empty when nothing matches.
     */
    public Optional<JFreeChart> draw(List<GroupMetrics> metrics, List<ResultRow> rows, Bootstrap bootstrap) {
        List<Curve> curves = curves(metrics);
        if (!curves.isEmpty()) {
            return Optional.of(chart(curves, epsilonAxis()));
        }
        List<Curve> budget = budgetCurves(rows, bootstrap);
        return budget.isEmpty() ? Optional.empty() : Optional.of(chart(budget, BUDGET_AXIS));
    }

    /** The rows this figure's filters take among the unbounded (ε = ∞) conditions. */
    public boolean acceptsUnbounded(Condition c) {
        return Double.isInfinite(c.epsilon()) && c.rounded() == rounded && (attack == null || attack.equals(c.attack()))
                && (source == null || source.equals(c.source()));
    }

    /**
     * Curves against the L2 budget for the unbounded minimisation attacks the filters take (see
     * {@link BudgetCurves}); empty when none match.
     */
    public List<Curve> budgetCurves(List<ResultRow> rows, Bootstrap bootstrap) {
        return ReportCurves.budget(BudgetCurves.of(rows, this::acceptsUnbounded, success, BUDGET_POINTS, bootstrap));
    }

    /** The chart of curves from {@link #curves} ("ε" axis) or {@link #budgetCurves} ({@link #BUDGET_AXIS}). */
    public JFreeChart chart(List<Curve> curves, String xLabel) {
        RobustnessCurves.Options options = RobustnessCurves.Options.defaults()
                .withYLabel(success ? RobustnessCurves.SUCCESS_RATE : RobustnessCurves.ACCURACY).withXLabel(xLabel)
                .withUncertainty(uncertainty).withTitle(title).withUnitRange(!fitValues)
                // k/255 ticks are for L∞ budgets; an L2 budget is not a count of 8-bit levels
                .withEpsilonTicks(BUDGET_AXIS.equals(xLabel) ? RobustnessCurves.EpsilonTicks.DECIMAL : epsilonTicks);
        return grouping == null ? RobustnessCurves.overlay(curves, options) : RobustnessCurves.grouped(curves, grouping, options);
    }

    public CurveFigure withSuccess(boolean s) {
        return new CurveFigure(s, grouping, attack, source, rounded, uncertainty, epsilonTicks, title, fitValues);
    }

    public CurveFigure withGrouping(RobustnessCurves.Grouping g) {
        return new CurveFigure(success, g, attack, source, rounded, uncertainty, epsilonTicks, title, fitValues);
    }

    public CurveFigure withAttack(String a) {
        return new CurveFigure(success, grouping, a, source, rounded, uncertainty, epsilonTicks, title, fitValues);
    }

    public CurveFigure withSource(String s) {
        return new CurveFigure(success, grouping, attack, s, rounded, uncertainty, epsilonTicks, title, fitValues);
    }

    public CurveFigure withRounded(boolean r) {
        return new CurveFigure(success, grouping, attack, source, r, uncertainty, epsilonTicks, title, fitValues);
    }

    public CurveFigure withUncertainty(RobustnessCurves.Uncertainty u) {
        return new CurveFigure(success, grouping, attack, source, rounded, u, epsilonTicks, title, fitValues);
    }

    public CurveFigure withEpsilonTicks(RobustnessCurves.EpsilonTicks t) {
        return new CurveFigure(success, grouping, attack, source, rounded, uncertainty, t, title, fitValues);
    }

    public CurveFigure withTitle(String t) {
        return new CurveFigure(success, grouping, attack, source, rounded, uncertainty, epsilonTicks, t, fitValues);
    }

    public CurveFigure withFitValues(boolean f) {
        return new CurveFigure(success, grouping, attack, source, rounded, uncertainty, epsilonTicks, title, f);
    }
}
