package org.mrw.core.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.mrw.core.store.BatchKey;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.RunInfo;
import org.mrw.core.store.SqliteResultsStore;

/**
 * Results-store write throughput: rows per second when committing {@code rows} result rows in units of
 * {@code rowsPerBatch} (one transaction each, as a run commits them) to a fresh workspace. A timed run
 * covers opening the store, creating the run, every commit and closing (the WAL checkpoint); the rows
 * themselves are built beforehand. The figure is the median of several runs after one warm-up.
 */
public final class StoreBenchmark {

    public static final int DEFAULT_ROWS = 200_000;
    public static final int DEFAULT_ROWS_PER_BATCH = 1_000;

    /**
     * The measurement.
     *
     * @param medianSeconds median wall time of one timed run
     */
    public record Result(int rows, int rowsPerBatch, int repeats, double medianSeconds) {

        public double rowsPerSecond() {
            return rows / medianSeconds;
        }

        public double batchesPerSecond() {
            return Math.ceil((double) rows / rowsPerBatch) / medianSeconds;
        }
    }

    private StoreBenchmark() {
    }

    /**
     * Measures, writing scratch workspaces into a new temporary folder under {@code parent} (the system's
     * temporary folder when null) that is deleted afterwards.
     */
    public static Result run(int rows, int rowsPerBatch, int repeats, Path parent) {
        if (rows < 1 || rowsPerBatch < 1 || repeats < 1) {
            throw new IllegalArgumentException("rows, rows per batch and repeats must be >= 1");
        }
        List<List<ResultRow>> batches = rows(rows, rowsPerBatch);
        Path scratch;
        try {
            scratch = parent == null ? Files.createTempDirectory("mrw-bench-store-")
                    : Files.createTempDirectory(Files.createDirectories(parent), "mrw-bench-store-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a scratch folder for the store benchmark: " + e.getMessage(), e);
        }
        try {
            int[] runs = {0};
            double median = Timing.medianSeconds(1, repeats, () -> writeAll(scratch.resolve("workspace-" + runs[0]++), batches));
            return new Result(rows, rowsPerBatch, repeats, median);
        } finally {
            deleteTree(scratch);
        }
    }

    private static void writeAll(Path workspace, List<List<ResultRow>> batches) {
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace)) {
            RunInfo run = store.createRun("bench-store", "name: bench-store\n", Map.of("workbench", "bench"), 1);
            int start = 0;
            for (List<ResultRow> batch : batches) {
                store.commitBatch(run.id(), new BatchKey("resnet_float", "pgd", "mobilenet_tflite_int8", 0, start), batch);
                start += batch.size();
            }
        }
    }

    /** Rows shaped like a PGD sweep's: ten ε per sample, varied predictions and floats. */
    static List<List<ResultRow>> rows(int rows, int rowsPerBatch) {
        SplittableRandom random = new SplittableRandom(42);
        List<List<ResultRow>> batches = new ArrayList<>();
        for (int from = 0; from < rows; from += rowsPerBatch) {
            int n = Math.min(rowsPerBatch, rows - from);
            List<ResultRow> batch = new ArrayList<>(n);
            for (int i = from; i < from + n; i++) {
                int sample = i / 10;
                int label = sample % 10;
                batch.add(new ResultRow(sample, label, "resnet_float", "pgd", (i % 10 + 1) / 255.0, (i & 1) == 0,
                        "mobilenet_tflite_int8", 0, random.nextInt(10), (float) random.nextDouble(), (float) random.nextDouble(-5, 5),
                        (float) random.nextDouble(0.05), (float) random.nextDouble(2)));
            }
            batches.add(batch);
        }
        return batches;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the store benchmark's scratch folder " + root + ": " + e.getMessage(), e);
        }
    }
}
