package org.mrw.core.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mrw.core.bench.StoreBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mrw bench store}: rows per second committed to the results store (SQLite in WAL mode), in
 * batch transactions as a run commits them, to scratch workspaces deleted afterwards.
 */
@Command(name = "store", description = "Rows per second committed to the results store in batch transactions.")
final class BenchStoreCommand implements Callable<Integer> {

    @Option(names = "--rows", paramLabel = "N", defaultValue = "" + StoreBenchmark.DEFAULT_ROWS,
            description = "Result rows per run (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + StoreBenchmark.DEFAULT_ROWS_PER_BATCH,
            description = "Rows per committed batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Timed runs after one warm-up; the median is reported (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Write the scratch workspaces under DIR, e.g. on the disk a run would use (default: the temporary folder).")
    Path dir;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (rows < 1 || rows > 100_000_000 || batchSize < 1 || batchSize > 1_000_000 || repeats < 1 || repeats > 100) {
            throw new IllegalArgumentException("--rows must be in 1..100000000, --batch-size in 1..1000000 and --repeats in 1..100");
        }
        StoreBenchmark.Result r = StoreBenchmark.run(rows, batchSize, repeats, dir);
        int cores = java.lang.Runtime.getRuntime().availableProcessors();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("rows", r.rows());
        doc.put("batchSize", r.rowsPerBatch());
        doc.put("repeats", r.repeats());
        doc.put("cores", cores);
        doc.put("medianSeconds", r.medianSeconds());
        doc.put("rowsPerSecond", r.rowsPerSecond());
        doc.put("batchesPerSecond", r.batchesPerSecond());
        String text = String.format(Locale.ROOT, "%d rows in batches of %d, median of %d runs, %d cores: %.0f rows/s"
                + " (%.0f batches/s, %.2f s per run)", r.rows(), r.rowsPerBatch(), r.repeats(), cores, r.rowsPerSecond(),
                r.batchesPerSecond(), r.medianSeconds());
        output.print(spec.commandLine().getOut(), doc, text);
        return 0;
    }
}
