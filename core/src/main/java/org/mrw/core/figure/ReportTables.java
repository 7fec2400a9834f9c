package org.mrw.core.figure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mrw.core.analysis.GroupMetrics;
import org.mrw.core.stats.Interval;

/**
 * The tables of a run report, as the CLI's {@code report --csv/--latex/--rows} and the workbench's Export
 * view write them: one row per pooled target × condition with 95 % bootstrap intervals.
 */
public final class ReportTables {

    private ReportTables() {
    }

    /**
     * Robustness per target: clean accuracy, accuracy, success rate, median L2 (of all perturbations, and of
     * those that fooled the target) with their intervals,
     * the effective ε (mean L∞ of the perturbations actually judged, e.g. after 8-bit rounding) and the
     * flips each way (expected counts per repetition when pooled over several).
     */
    public static Table metrics(List<GroupMetrics> metrics) {
        boolean fractionalFlips = metrics.stream().anyMatch(m -> m.pooled() && m.repetitions() > 1);
        Table.Column flipsToWrong = fractionalFlips ? Table.Column.number("flips to wrong", 1) : Table.Column.integer("flips to wrong");
        Table.Column flipsToRight = fractionalFlips ? Table.Column.number("flips to right", 1) : Table.Column.integer("flips to right");
        List<Table.Column> columns = List.of(Table.Column.text("target"), Table.Column.text("source"), Table.Column.text("attack"),
                Table.Column.text("ε"), Table.Column.text("8-bit"), Table.Column.integer("n"), Table.Column.number("clean accuracy", 3),
                Table.Column.number("accuracy", 3), Table.Column.number("success rate", 3), Table.Column.number("median L2", 3),
                Table.Column.number("median L2 fooled", 3), Table.Column.number("effective ε", 4), flipsToWrong, flipsToRight);
        List<List<Table.Cell>> cells = new ArrayList<>();
        for (GroupMetrics m : metrics) {
            if (!m.pooled()) {
                continue;
            }
            double eps = m.condition().epsilon();
            cells.add(List.of(Table.text(m.target()), Table.text(m.condition().source()), Table.text(m.condition().attack()),
                    Table.text(Double.isInfinite(eps) ? "∞" : String.format(Locale.ROOT, "%g", eps)),
                    Table.text(m.condition().rounded() ? "yes" : "no"), Table.integer(m.n()), estimate(m.cleanAccuracy()),
                    estimate(m.adversarialAccuracy()), estimate(m.successRate()), estimate(m.medianL2()),
                    estimate(m.medianL2Fooled()), value(m.meanLinf().estimate()), flips(m.flipsToWrong().estimate(), fractionalFlips),
                    flips(m.flipsToCorrect().estimate(), fractionalFlips)));
        }
        return new Table("Robustness per target (95 % bootstrap intervals)", columns, cells);
    }

    private static Table.Cell value(double v) {
        return Double.isFinite(v) ? Table.number(v) : Table.empty();
    }

    private static Table.Cell flips(double v, boolean fractional) {
        return !Double.isFinite(v) ? Table.empty() : fractional ? Table.number(v) : Table.integer(Math.round(v));
    }

    private static Table.Cell estimate(Interval i) {
        return Double.isFinite(i.estimate()) ? Table.estimate(i.estimate(), i.lower(), i.upper()) : Table.empty();
    }
}
