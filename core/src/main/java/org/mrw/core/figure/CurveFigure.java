package org.mrw.core.figure;

import java.util.List;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.mrw.core.analysis.GroupMetrics;

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
 */
public record CurveFigure(boolean success, RobustnessCurves.Grouping grouping, String attack, String source, boolean rounded,
                          RobustnessCurves.Uncertainty uncertainty, RobustnessCurves.EpsilonTicks epsilonTicks, String title) {

    public CurveFigure {
        Objects.requireNonNull(uncertainty, "uncertainty");
        Objects.requireNonNull(epsilonTicks, "epsilonTicks");
    }

    /** Accuracy vs ε of every curve in one plot, float adversarials, bands, decimal ticks. */
    public static CurveFigure defaults() {
        return new CurveFigure(false, null, null, null, false, RobustnessCurves.Uncertainty.BAND,
                RobustnessCurves.EpsilonTicks.DECIMAL, null);
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
        RobustnessCurves.Options options = RobustnessCurves.Options.defaults()
                .withYLabel(success ? RobustnessCurves.SUCCESS_RATE : RobustnessCurves.ACCURACY)
                .withUncertainty(uncertainty).withEpsilonTicks(epsilonTicks).withTitle(title);
        return grouping == null ? RobustnessCurves.overlay(curves, options) : RobustnessCurves.grouped(curves, grouping, options);
    }

    public CurveFigure withSuccess(boolean s) {
        return new CurveFigure(s, grouping, attack, source, rounded, uncertainty, epsilonTicks, title);
    }

    public CurveFigure withGrouping(RobustnessCurves.Grouping g) {
        return new CurveFigure(success, g, attack, source, rounded, uncertainty, epsilonTicks, title);
    }

    public CurveFigure withAttack(String a) {
        return new CurveFigure(success, grouping, a, source, rounded, uncertainty, epsilonTicks, title);
    }

    public CurveFigure withSource(String s) {
        return new CurveFigure(success, grouping, attack, s, rounded, uncertainty, epsilonTicks, title);
    }

    public CurveFigure withRounded(boolean r) {
        return new CurveFigure(success, grouping, attack, source, r, uncertainty, epsilonTicks, title);
    }

    public CurveFigure withUncertainty(RobustnessCurves.Uncertainty u) {
        return new CurveFigure(success, grouping, attack, source, rounded, u, epsilonTicks, title);
    }

    public CurveFigure withEpsilonTicks(RobustnessCurves.EpsilonTicks t) {
        return new CurveFigure(success, grouping, attack, source, rounded, uncertainty, t, title);
    }

    public CurveFigure withTitle(String t) {
        return new CurveFigure(success, grouping, attack, source, rounded, uncertainty, epsilonTicks, t);
    }
}
