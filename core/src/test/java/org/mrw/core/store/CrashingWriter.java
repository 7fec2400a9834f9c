package org.mrw.core.store;

import java.nio.file.Path;

/**
 * The child process of {@link CrashSafetyTest}: commits units of a run in order, forever, printing
 * {@code committed <n>} after each commit returns, until it is killed.
 */
public final class CrashingWriter {

    private CrashingWriter() {
    }

    public static void main(String[] args) {
        Path workspace = Path.of(args[0]);
        String run = args[1];
        int rowsPerBatch = Integer.parseInt(args[2]);
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace)) {
            for (int b = 0; b < 1_000_000; b++) {
                BatchKey key = Rows.unit(b * rowsPerBatch);
                boolean fresh = store.commitBatch(run, key, Rows.of(key, rowsPerBatch));
                System.out.println((fresh ? "committed " : "skipped ") + b);
                System.out.flush();
            }
        }
    }
}
