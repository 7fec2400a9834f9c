package org.mrw.core.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The durable results of experiment runs in a workspace folder ({@code results.db}, SQLite in WAL mode,
 * plus adversarial tensors as NPY). Writes happen in batch transactions: a unit's rows and its done
 * marker commit together or not at all. Implementations are safe for one writer thread.
 */
public interface ResultsStore extends AutoCloseable {

    /** Creates a run and returns it (status running). */
    RunInfo createRun(String name, String specYaml, java.util.Map<String, String> versions, long seed);

    /**
     * Creates a run with a caller-chosen id (an experiment's id derives from its spec, so that resumes
     * and shards of the same spec meet in one run). Fails if the id exists.
     */
    RunInfo createRun(String id, String name, String specYaml, java.util.Map<String, String> versions, long seed);

    Optional<RunInfo> run(String runId);

    /** Every run, oldest first. */
    List<RunInfo> runs();

    /** Records the run's sample selection (dataset indices and labels), once; a second call must match. */
    void saveSamples(String runId, int[] datasetIndices, int[] labels);

    /** The run's dataset indices in selection order (empty when not saved yet). */
    int[] samples(String runId);

    /** Units already committed for the run (for resume). */
    Set<BatchKey> doneBatches(String runId);

    /**
     * Commits a unit's rows and its done marker in one transaction. Committing an already-done unit
     * again is a no-op (returns false), so a resumed run never duplicates rows.
     */
    boolean commitBatch(String runId, BatchKey key, List<ResultRow> rows);

    /** Sets the run's status and finish time; "running" (a resume starting) clears the finish time. */
    void finishRun(String runId, String status);

    /** All rows of a run, in commit order. */
    List<ResultRow> rows(String runId);

    /** Number of rows of a run. */
    long rowCount(String runId);

    @Override
    void close();

    /**
     * Merges shard workspaces (e.g. SLURM array tasks) into {@code target}, creating it when missing:
     * runs by id (one id in several shards is one run: identical samples required, the union of its
     * units and their rows, no duplicates), and the adversarial files. Merging the same shard again is a
     * no-op.
     *
     * @throws StoreException when a shard is no workspace, or one run id stands for different runs
     */
    static void merge(Path target, List<Path> shardWorkspaces) {
        SqliteResultsStore.merge(target, shardWorkspaces);
    }
}
