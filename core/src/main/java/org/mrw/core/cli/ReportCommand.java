package org.mrw.core.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jfree.chart.JFreeChart;
import org.mrw.core.analysis.Comparison;
import org.mrw.core.analysis.Condition;
import org.mrw.core.analysis.GroupMetrics;
import org.mrw.core.analysis.RunReport;
import org.mrw.core.figure.CurveFigure;
import org.mrw.core.figure.Drawing;
import org.mrw.core.figure.FigureExport;
import org.mrw.core.figure.FigureSize;
import org.mrw.core.figure.ReportTables;
import org.mrw.core.figure.RobustnessCurves;
import org.mrw.core.figure.Table;
import org.mrw.core.figure.Tables;
import org.mrw.core.stats.Bootstrap;
import org.mrw.core.stats.Interval;
import org.mrw.core.store.AdversarialFiles;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.RunBundle;
import org.mrw.core.store.RunInfo;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.store.StoreException;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mrw report RUN}: metrics with bootstrap intervals per target and condition, paired tests
 * between targets, and exports (CSV, JSON rows, LaTeX table, robustness-curve figure).
 */
@Command(name = "report", description = "Metrics, paired tests and exports of a run in a workspace.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "Run id (default: the workspace's latest run).")
    String runId;

    @Option(names = "--workspace", paramLabel = "DIR", defaultValue = "workspace", description = "Workspace (default ./${DEFAULT-VALUE}).")
    Path workspace;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + RunReport.DEFAULT_SEED, description = "Bootstrap seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the metrics table as CSV.")
    Path csv;

    @Option(names = "--latex", paramLabel = "FILE", description = "Write the metrics table as LaTeX (booktabs).")
    Path latex;

    @Option(names = "--rows", paramLabel = "FILE", description = "Write the metrics table as JSON rows.")
    Path jsonRows;

    @Option(names = "--figure", paramLabel = "FILE", description = "Robustness curves per target (.svg, .pdf or .png).")
    Path figure;

    @Option(names = "--figures", paramLabel = "DIR",
            description = "One figure per attack, source and rounding (fig-ATTACK--SOURCE[--8bit].EXT) into DIR, in one pass; "
                    + "--attack/--source narrow the set, the other figure options apply to each.")
    Path figuresDir;

    @Option(names = "--formats", paramLabel = "EXT", split = ",", defaultValue = "svg",
            description = "Formats of --figures: svg, pdf, png, comma-separated (default ${DEFAULT-VALUE}).")
    List<String> formats;

    @Option(names = "--bundle", paramLabel = "FILE.zip",
            description = "Write the run as one zip: results.db of this run, rows CSV/JSON, spec, versions, adversarial NPYs, tables, figures.")
    Path bundle;

    @Option(names = "--dpi", paramLabel = "N", defaultValue = "300", description = "PNG resolution (default ${DEFAULT-VALUE}).")
    double dpi;

    /** Panels of the figure: one plot, or one panel per framework or per deployment. */
    enum GroupBy { none, framework, deployment }

    @Option(names = "--group-by", paramLabel = "G", defaultValue = "none",
            description = "Figure panels: none (one plot), framework (PC vs mobile vs quantized inside each), deployment.")
    GroupBy groupBy;

    @Option(names = "--value", paramLabel = "V", defaultValue = "accuracy",
            description = "Curve value: accuracy or success (attack success rate over images the target got right).")
    String value;

    @Option(names = "--attack", paramLabel = "NAME", description = "Figure only this attack (label as in the spec).")
    String attackFilter;

    @Option(names = "--source", paramLabel = "MODEL", description = "Figure only adversarials generated on this source.")
    String sourceFilter;

    @Option(names = "--rounded", description = "Figure the 8-bit rounded adversarials instead of the float ones.")
    boolean rounded;

    @Option(names = "--uncertainty", paramLabel = "U", defaultValue = "BAND",
            description = "95 %% intervals as BAND, ERROR_BARS or NONE (default ${DEFAULT-VALUE}).")
    RobustnessCurves.Uncertainty uncertainty;

    @Option(names = "--eps-ticks", paramLabel = "T", defaultValue = "DECIMAL",
            description = "ε axis ticks: DECIMAL (0.01) or PIXEL_LEVELS (k/255).")
    RobustnessCurves.EpsilonTicks epsilonTicks;

    @Option(names = "--size", paramLabel = "S", defaultValue = "double",
            description = "Figure size: single (3.5 in column), double (7 in) or slide (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--y-range", paramLabel = "R", defaultValue = "unit",
            description = "Value axis: unit (all of 0..1, default) or fit (the data's range, for small differences).")
    String yRange;

    @Option(names = "--title", paramLabel = "TEXT", description = "Figure title (papers usually put it in the caption).")
    String title;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(workspace.resolve("results.db"))) {
            throw new StoreException("no results.db in " + workspace.toAbsolutePath() + "; pass --workspace DIR of a run");
        }
        List<ResultRow> rows;
        RunInfo run;
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(workspace)) {
            List<RunInfo> runs = store.runs();
            if (runs.isEmpty()) {
                throw new StoreException(workspace + " holds no runs yet");
            }
            run = runId == null ? runs.get(runs.size() - 1) : store.run(runId).orElseThrow(() -> new StoreException(
                    "no run " + runId + " in " + workspace + "; runs: " + runs.stream().map(RunInfo::id).toList()));
            rows = store.rows(run.id());
        }
        RunReport report = RunReport.of(rows, seed);
        Table table = ReportTables.metrics(report.metrics());
        if (csv != null) {
            Files.writeString(csv, Tables.csv(table), StandardCharsets.UTF_8);
        }
        if (latex != null) {
            Files.writeString(latex, Tables.latex(table), StandardCharsets.UTF_8);
        }
        if (jsonRows != null) {
            Files.writeString(jsonRows, Tables.json(table), StandardCharsets.UTF_8);
        }
        if (figure != null) {
            writeFigure(report, rows);
        }
        if (figuresDir != null) {
            writeFigures(report, rows);
        }
        if (bundle != null) {
            RunBundle.write(workspace, run.id(), bundle, RunBundle.Contents.all(), Progress.NONE, Cancellation.NONE);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run", run.id());
        doc.put("status", run.status());
        doc.put("rows", rows.size());
        doc.put("clean", report.baselines().stream().map(ReportCommand::baselineJson).toList());
        doc.put("metrics", report.metrics().stream().filter(GroupMetrics::pooled).map(ReportCommand::metricJson).toList());
        doc.put("comparisons", report.comparisons().stream().map(ReportCommand::comparisonJson).toList());
        output.print(spec.commandLine().getOut(), doc, text(run, report));
        return 0;
    }

    private static Map<String, Object> metricJson(GroupMetrics m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("target", m.target());
        o.put("source", m.condition().source());
        o.put("attack", m.condition().attack());
        o.put("epsilon", Double.isInfinite(m.condition().epsilon()) ? "inf" : m.condition().epsilon());
        o.put("rounded", m.condition().rounded());
        o.put("n", m.n());
        o.put("cleanAccuracy", interval(m.cleanAccuracy()));
        o.put("accuracy", interval(m.adversarialAccuracy()));
        o.put("successRate", interval(m.successRate()));
        o.put("flipsToWrong", m.flipsToWrong().estimate());
        o.put("flipsToCorrect", m.flipsToCorrect().estimate());
        o.put("unperturbed", m.unperturbed().estimate());
        o.put("medianL2", interval(m.medianL2()));
        o.put("medianL2Fooled", interval(m.medianL2Fooled()));
        o.put("meanLinf", interval(m.meanLinf()));
        o.put("method", m.method());
        return o;
    }

    private static Map<String, Object> baselineJson(RunReport.Baseline b) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("target", b.target());
        o.put("n", b.n());
        o.put("accuracy", interval(b.accuracy()));
        return o;
    }

    private static Map<String, Object> comparisonJson(Comparison c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("targetA", c.targetA());
        o.put("targetB", c.targetB());
        o.put("source", c.condition().source());
        o.put("attack", c.condition().attack());
        o.put("epsilon", Double.isInfinite(c.condition().epsilon()) ? "inf" : c.condition().epsilon());
        o.put("rounded", c.condition().rounded());
        o.put("repetition", c.repetition());
        o.put("n", c.n());
        o.put("accuracyA", c.accuracyA());
        o.put("accuracyB", c.accuracyB());
        o.put("accuracyDifference", interval(c.accuracyDifference()));
        // LinkedHashMap, not Map.of: Map.of's iteration order changes between JVM runs, and the JSON of
        // one run must come out byte for byte the same every time.
        Map<String, Object> mcnemar = new LinkedHashMap<>();
        mcnemar.put("method", c.mcnemar().method());
        mcnemar.put("pValue", c.mcnemar().pValue());
        mcnemar.put("b", c.mcnemar().b());
        mcnemar.put("c", c.mcnemar().c());
        o.put("mcnemar", mcnemar);
        Map<String, Object> wilcoxon = new LinkedHashMap<>();
        wilcoxon.put("method", c.wilcoxon().method());
        wilcoxon.put("pValue", finite(c.wilcoxon().pValue()));
        o.put("wilcoxon", wilcoxon);
        return o;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : "NaN";
    }

    private static Map<String, Object> interval(Interval i) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("estimate", Double.isFinite(i.estimate()) ? i.estimate() : null);
        o.put("low", Double.isFinite(i.lower()) ? i.lower() : null);
        o.put("high", Double.isFinite(i.upper()) ? i.upper() : null);
        return o;
    }

    private CurveFigure figureChoice() {
        boolean success = switch (value.toLowerCase(Locale.ROOT)) {
            case "accuracy" -> false;
            case "success", "success-rate", "successrate" -> true;
            default -> throw new IllegalArgumentException("--value must be accuracy or success, got " + value);
        };
        return new CurveFigure(success, switch (groupBy) {
            case none -> null;
            case framework -> RobustnessCurves.Grouping.FRAMEWORK;
            case deployment -> RobustnessCurves.Grouping.DEPLOYMENT;
        }, attackFilter, sourceFilter, rounded, uncertainty, epsilonTicks, title, switch (yRange.toLowerCase(Locale.ROOT)) {
            case "unit" -> false;
            case "fit" -> true;
            default -> throw new IllegalArgumentException("--y-range must be unit or fit, got " + yRange);
        });
    }

    private FigureSize figureSize() {
        return switch (size.toLowerCase(Locale.ROOT)) {
            case "single" -> FigureSize.SINGLE_COLUMN;
            case "double" -> FigureSize.DOUBLE_COLUMN;
            case "slide" -> FigureSize.SLIDE;
            default -> throw new IllegalArgumentException("--size must be single, double or slide, got " + size);
        };
    }

    private void writeFigure(RunReport report, List<ResultRow> rows) throws IOException {
        CurveFigure choice = figureChoice();
        FigureSize figureSize = figureSize();
        JFreeChart chart = chart(choice, report, rows);
        if (chart == null) {
            throw new IllegalArgumentException("nothing to draw: no results match --attack "
                    + (attackFilter == null ? "(any)" : attackFilter) + ", --source " + (sourceFilter == null ? "(any)" : sourceFilter)
                    + (rounded ? " and --rounded" : "") + "; drop a filter");
        }
        FigureExport.write(Drawing.of(chart), figureSize, dpi, figure);
    }

    private JFreeChart chart(CurveFigure choice, RunReport report, List<ResultRow> rows) {
        return choice.draw(report.metrics(), rows, Bootstrap.seeded(seed)).orElse(null);
    }

    /** Every (attack, source, rounding) the filters take, one file per format, from the report in hand. */
    private void writeFigures(RunReport report, List<ResultRow> rows) throws IOException {
        CurveFigure base = figureChoice();
        FigureSize figureSize = figureSize();
        for (String f : formats) {
            if (!List.of("svg", "pdf", "png").contains(f.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--formats takes svg, pdf and png, got " + f);
            }
        }
        Files.createDirectories(figuresDir);
        Set<List<Object>> conditions = new LinkedHashSet<>();
        for (GroupMetrics m : report.metrics()) {
            Condition c = m.condition();
            if ((attackFilter == null || attackFilter.equals(c.attack())) && (sourceFilter == null || sourceFilter.equals(c.source()))) {
                conditions.add(List.of(c.attack(), c.source(), c.rounded()));
            }
        }
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("nothing to draw: no attack results match --attack "
                    + (attackFilter == null ? "(any)" : attackFilter) + " and --source " + (sourceFilter == null ? "(any)" : sourceFilter));
        }
        for (List<Object> c : conditions) {
            String attack = (String) c.get(0);
            String source = (String) c.get(1);
            boolean round8 = (Boolean) c.get(2);
            JFreeChart chart = chart(base.withAttack(attack).withSource(source).withRounded(round8), report, rows);
            if (chart == null) {
                continue;
            }
            for (String f : formats) {
                String name = "fig-" + AdversarialFiles.safeName(attack) + "--" + AdversarialFiles.safeName(source) + (round8 ? "--8bit" : "") + "." + f.toLowerCase(Locale.ROOT);
                FigureExport.write(Drawing.of(chart), figureSize, dpi, figuresDir.resolve(name));
            }
        }
    }

    private static String text(RunInfo run, RunReport report) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "run %s (%s)%n", run.id(), run.status()));
        for (RunReport.Baseline c : report.baselines()) {
            b.append(String.format(Locale.ROOT, "clean %-28s n %5d accuracy %.3f [%.3f, %.3f]%n", c.target(), c.n(),
                    c.accuracy().estimate(), c.accuracy().lower(), c.accuracy().upper()));
        }
        b.append(String.format(Locale.ROOT, "%-28s %-24s %-10s %8s %5s %6s %7s %7s%n",
                "target", "source", "attack", "epsilon", "8bit", "clean", "acc", "success"));
        for (GroupMetrics m : report.metrics()) {
            if (m.pooled()) {
                b.append(String.format(Locale.ROOT, "%-28s %-24s %-10s %8.4g %5s %6.3f %7.3f %7.3f%n", m.target(),
                        m.condition().source(), m.condition().attack(), m.condition().epsilon(), m.condition().rounded() ? "yes" : "no",
                        m.cleanAccuracy().estimate(), m.adversarialAccuracy().estimate(), m.successRate().estimate()));
            }
        }
        b.append(report.comparisons().size()).append(" paired comparisons (McNemar, Wilcoxon); see --json");
        return b.toString();
    }
}
