package org.mrw.core.figure;

import java.util.List;
import org.jfree.chart.JFreeChart;
import org.mrw.core.analysis.Metrics;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.store.ResultRow;

/**
 * Robustness curves of a run still in progress, from the rows committed so far: the same curves as
 * {@link ReportCurves} but with a short bootstrap (the bands only need to look right while the run
 * fills them in; the report recomputes them with the full resampling).
 */
public final class LiveCurves {

    /** Resamples of the live bands: ~10× cheaper than the report's and still stable to a percent or two. */
    public static final int RESAMPLES = 200;

    private LiveCurves() {
    }

    /** Accuracy-vs-ε curves (float adversarials) of the rows so far; empty until a target has an attacked batch. */
    public static List<Curve> accuracy(List<ResultRow> rows, long seed) {
        if (rows.isEmpty()) {
            return List.of();
        }
        return ReportCurves.of(Metrics.of(rows, Bootstrap.seeded(seed).withResamples(RESAMPLES)), ReportCurves.Filter.accuracy());
    }

    /** All curves in one overlay chart with 95 % bands; ε ticks in pixel levels (k/255) beside the decimal ε elsewhere. */
    public static JFreeChart chart(List<Curve> curves) {
        return RobustnessCurves.overlay(curves, RobustnessCurves.Options.defaults()
                .withEpsilonTicks(RobustnessCurves.EpsilonTicks.PIXEL_LEVELS));
    }
}
