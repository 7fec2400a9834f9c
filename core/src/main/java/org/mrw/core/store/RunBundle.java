package org.mrw.core.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.mrw.core.analysis.RunReport;
import org.mrw.core.figure.CurveFigure;
import org.mrw.core.figure.Drawing;
import org.mrw.core.figure.FigureExport;
import org.mrw.core.figure.FigureSize;
import org.mrw.core.figure.ReportTables;
import org.mrw.core.figure.Table;
import org.mrw.core.figure.Tables;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/**
 * A finished run as one zip to hand to a co-author or attach to a paper: {@code results.db} holding this
 * run only, its rows as CSV and JSON, the spec it ran ({@code spec.yaml}), the versions of every engine,
 * runtime and device ({@code run.json}), the adversarial NPYs, and the report's tables and figures. The
 * zip is written to a temporary file beside the destination and moved into place, so a failed or
 * cancelled write never leaves a truncated bundle or destroys an earlier one.
 */
public final class RunBundle {

    /**
     * What goes in.
     *
     * @param database     a {@code results.db} snapshot with this run only
     * @param rows         {@code rows.csv} and {@code rows.json} (every judgement)
     * @param adversarials the run's adversarial NPYs under {@code adversarials/}
     * @param report       {@code report/metrics.csv}, {@code metrics.tex} and the accuracy curves as SVG and PDF
     */
    public record Contents(boolean database, boolean rows, boolean adversarials, boolean report) {

        public static Contents all() {
            return new Contents(true, true, true, true);
        }
    }

    /** Bootstrap seed of the report inside a bundle (the CLI's default). */
    public static final long REPORT_SEED = RunReport.DEFAULT_SEED;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunBundle() {
    }

    /**
     * Writes the bundle of {@code runId} in {@code workspace} to {@code zip}; returns the entry names written.
     *
     * @throws StoreException when the run is not there, or the zip cannot be written (the message says where)
     */
    public static List<String> write(Path workspace, String runId, Path zip, Contents contents, Progress progress,
                                     Cancellation cancellation) throws IOException {
        RunInfo run;
        List<ResultRow> rows;
        int[] indices;
        int[] labels;
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(workspace)) {
            run = store.run(runId).orElseThrow(() -> new StoreException("No run " + runId + " in " + workspace
                    + "; runs: " + store.runs().stream().map(RunInfo::id).toList()));
            rows = store.rows(runId);
            indices = store.samples(runId);
            labels = store.sampleLabels(runId);
        }
        List<Path> npys = contents.adversarials() ? RunAdversarials.files(workspace, runId) : List.of();
        long total = 3 + npys.size() + (contents.report() ? 3 : 0);
        long[] done = {0};
        Path dir = zip.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("Cannot create the folder " + dir + " for the bundle (" + e + "). Choose a folder you can write to.", e);
        }
        Path partial;
        try {
            partial = Files.createTempFile(dir, "." + zip.getFileName(), ".partial");
        } catch (IOException e) {
            throw new StoreException("Cannot write in " + dir + " (" + e + "). Choose a folder you can write to.", e);
        }
        List<String> names = new ArrayList<>();
        boolean moved = false;
        try {
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(partial))) {
                put(out, names, "spec.yaml", run.spec().getBytes(StandardCharsets.UTF_8));
                put(out, names, "run.json", JSON.writeValueAsBytes(runJson(run, rows.size(), indices.length)));
                put(out, names, "samples.csv", samplesCsv(indices, labels).getBytes(StandardCharsets.UTF_8));
                step(progress, done, total, "spec and versions", cancellation);
                if (contents.rows()) {
                    put(out, names, "rows.csv", rowsCsv(rows).getBytes(StandardCharsets.UTF_8));
                    put(out, names, "rows.json", JSON.writeValueAsBytes(rows));
                }
                step(progress, done, total, "rows", cancellation);
                if (contents.database()) {
                    put(out, names, SqliteResultsStore.DATABASE, snapshot(workspace, runId, dir));
                }
                step(progress, done, total, "results.db", cancellation);
                if (contents.report()) {
                    RunReport report = RunReport.of(rows, REPORT_SEED);
                    Table table = ReportTables.metrics(report.metrics());
                    put(out, names, "report/metrics.csv", Tables.csv(table).getBytes(StandardCharsets.UTF_8));
                    put(out, names, "report/metrics.tex", Tables.latex(table).getBytes(StandardCharsets.UTF_8));
                    step(progress, done, total, "tables", cancellation);
                    CurveFigure figure = CurveFigure.defaults();
                    if (!figure.curves(report.metrics()).isEmpty()) {
                        Drawing d = Drawing.of(figure.chart(report.metrics()));
                        put(out, names, "report/accuracy-curves.svg",
                                FigureExport.svg(d, FigureSize.DOUBLE_COLUMN).getBytes(StandardCharsets.UTF_8));
                        step(progress, done, total, "figures", cancellation);
                        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
                        FigureExport.pdf(Drawing.of(figure.chart(report.metrics())), FigureSize.DOUBLE_COLUMN, pdf);
                        put(out, names, "report/accuracy-curves.pdf", pdf.toByteArray());
                    }
                    step(progress, done, total, "figures", cancellation);
                }
                Path advRoot = workspace.resolve(AdversarialFiles.FOLDER).resolve(AdversarialFiles.safeName(runId));
                for (Path f : npys) {
                    put(out, names, AdversarialFiles.FOLDER + "/" + advRoot.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                    step(progress, done, total, "adversarials", cancellation);
                }
            }
            try {
                Files.move(partial, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            return names;
        } catch (IOException e) {
            throw new StoreException("Cannot write the bundle " + zip + " (" + e + "). Check the free space and permissions of " + dir + ".", e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(partial);
            }
        }
    }

    private static void step(Progress progress, long[] done, long total, String what, Cancellation cancellation) {
        cancellation.check();
        progress.update(Math.min(total, ++done[0]), total, what);
    }

    private static void put(ZipOutputStream out, List<String> names, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
        names.add(name);
    }

    private static Map<String, Object> runJson(RunInfo run, int rows, int samples) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", run.id());
        o.put("name", run.name());
        o.put("status", run.status());
        o.put("seed", run.seed());
        o.put("started", run.started().toString());
        o.put("finished", run.finished() == null ? null : run.finished().toString());
        o.put("samples", samples);
        o.put("rows", rows);
        o.put("versions", run.versions());
        return o;
    }

    private static String samplesCsv(int[] indices, int[] labels) {
        StringBuilder b = new StringBuilder("position,dataset_index,label\r\n");
        for (int i = 0; i < indices.length; i++) {
            b.append(i).append(',').append(indices[i]).append(',').append(labels[i]).append("\r\n");
        }
        return b.toString();
    }

    /** Every row as RFC 4180 CSV, the columns of {@link ResultRow}. */
    public static String rowsCsv(List<ResultRow> rows) {
        StringBuilder b = new StringBuilder("sample,label,source,attack,epsilon,rounded,target,repetition,prediction,confidence,margin,linf,l2\r\n");
        for (ResultRow r : rows) {
            b.append(r.sample()).append(',').append(r.label()).append(',').append(Tables.csvField(r.source())).append(',')
                    .append(Tables.csvField(r.attack())).append(',').append(r.epsilon()).append(',').append(r.rounded() ? 1 : 0).append(',')
                    .append(Tables.csvField(r.target())).append(',').append(r.repetition()).append(',').append(r.prediction()).append(',')
                    .append(r.confidence()).append(',').append(r.margin()).append(',').append(r.linf()).append(',').append(r.l2()).append("\r\n");
        }
        return b.toString();
    }

    /**
     * A consistent copy of results.db (SQLite's VACUUM INTO works on a read-only connection while a run may
     * still write) from which every other run is then deleted.
     */
    private static byte[] snapshot(Path workspace, String runId, Path scratchDir) throws IOException {
        Path copy = Files.createTempFile(scratchDir, ".results-snapshot", ".db");
        Files.delete(copy); // VACUUM INTO refuses an existing file
        try {
            org.sqlite.SQLiteConfig ro = new org.sqlite.SQLiteConfig();
            ro.setReadOnly(true);
            try (Connection c = ro.createConnection("jdbc:sqlite:" + workspace.resolve(SqliteResultsStore.DATABASE).toAbsolutePath());
                 PreparedStatement p = c.prepareStatement("VACUUM INTO ?")) {
                p.setString(1, copy.toAbsolutePath().toString());
                p.execute();
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath())) {
                c.setAutoCommit(false);
                for (String table : new String[] {"results", "batches", "samples", "runs"}) {
                    try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE " + ("runs".equals(table) ? "id" : "run") + " <> ?")) {
                        p.setString(1, runId);
                        p.executeUpdate();
                    }
                }
                c.commit();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode = DELETE");
                    s.execute("VACUUM");
                }
            }
            return Files.readAllBytes(copy);
        } catch (SQLException e) {
            throw new StoreException("Cannot snapshot " + workspace.resolve(SqliteResultsStore.DATABASE) + " (" + e.getMessage() + ").", e);
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.resolveSibling(copy.getFileName() + "-journal"));
        }
    }

    /** A human-readable size ("1.2 MB"). */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double kb = bytes / 1024.0;
        return kb < 1024 ? String.format(Locale.ROOT, "%.0f kB", kb) : String.format(Locale.ROOT, "%.1f MB", kb / 1024);
    }
}
