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

    /** Robustness per target: clean accuracy, accuracy, success rate and median L2 with their intervals. */
    public static Table metrics(List<GroupMetrics> metrics) {
        List<Table.Column> columns = List.of(Table.Column.text("target"), Table.Column.text("source"), Table.Column.text("attack"),
                Table.Column.text("ε"), Table.Column.text("8-bit"), Table.Column.integer("n"), Table.Column.number("clean accuracy", 3),
                Table.Column.number("accuracy", 3), Table.Column.number("success rate", 3), Table.Column.number("median L2", 3));
        List<List<Table.Cell>> cells = new ArrayList<>();
        for (GroupMetrics m : metrics) {
            if (!m.pooled()) {
                continue;
            }
            double eps = m.condition().epsilon();
            cells.add(List.of(Table.text(m.target()), Table.text(m.condition().source()), Table.text(m.condition().attack()),
                    Table.text(Double.isInfinite(eps) ? "∞" : String.format(Locale.ROOT, "%g", eps)),
                    Table.text(m.condition().rounded() ? "yes" : "no"), Table.integer(m.n()), estimate(m.cleanAccuracy()),
                    estimate(m.adversarialAccuracy()), estimate(m.successRate()), estimate(m.medianL2())));
        }
        return new Table("Robustness per target (95 % bootstrap intervals)", columns, cells);
    }

    private static Table.Cell estimate(Interval i) {
        return Double.isFinite(i.estimate()) ? Table.estimate(i.estimate(), i.lower(), i.upper()) : Table.empty();
    }
}
