package org.mrw.core.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Copies shard workspaces into one: runs by id (a run id found in several shards is one run whose
 * shards computed different units), their samples, the units (batches) the target lacks with their rows,
 * and the adversarial files. Idempotent: merging a shard twice changes nothing the second time.
 */
final class StoreMerge {

    /** Status of a run merged from shards: the later in this list wins (a failed shard makes the run failed). */
    private static final List<String> SEVERITY = List.of("finished", "running", "cancelled", "failed");

    private static final String RUN_COLUMNS = "id, name, spec, versions, seed, started, finished, status";

    private static final String SAME_KEY = "m.run = b.run AND m.source = b.source AND m.attack = b.attack AND m.target = b.target"
            + " AND m.repetition = b.repetition AND m.batch_start = b.batch_start";

    private StoreMerge() {
    }

    static void merge(Path target, List<Path> shards) {
        Objects.requireNonNull(target, "target");
        Path into = target.toAbsolutePath().normalize();
        List<Path> sources = new ArrayList<>();
        for (Path shard : shards) {
            Path from = shard.toAbsolutePath().normalize();
            if (from.equals(into)) {
                throw new IllegalArgumentException("cannot merge the workspace " + shard + " into itself");
            }
            if (!Files.isRegularFile(from.resolve(SqliteResultsStore.DATABASE))) {
                throw new StoreException(shard + " is not a workspace: it has no " + SqliteResultsStore.DATABASE
                        + ". Check the shard folders given to merge.");
            }
            sources.add(from);
        }
        try (SqliteResultsStore store = SqliteResultsStore.open(into)) {
            for (Path from : sources) {
                List<RunInfo> runs;
                // Opening checks the shard's schema version and replays a WAL a killed shard left behind.
                try (SqliteResultsStore shard = SqliteResultsStore.open(from)) {
                    runs = shard.runs();
                }
                mergeDatabase(store, from, runs);
                AdversarialFiles.copyAll(from, into);
            }
        }
    }

    private static void mergeDatabase(SqliteResultsStore store, Path shard, List<RunInfo> shardRuns) {
        Connection c = store.connection();
        Path shardFile = shard.resolve(SqliteResultsStore.DATABASE);
        String doing = "merging " + shardFile;
        try (PreparedStatement attach = c.prepareStatement("ATTACH DATABASE ? AS shard")) {
            attach.setString(1, shardFile.toString());
            attach.execute();
        } catch (SQLException e) {
            throw SqliteResultsStore.failure(shardFile, "attaching it to merge it into " + store.file(), e);
        }
        RuntimeException failed = null;
        try {
            store.inTransaction(doing, () -> {
                for (RunInfo run : shardRuns) {
                    mergeRun(store, c, shard, run);
                    mergeSamples(c, shard, run.id());
                }
                mergeBatches(c);
                return null;
            });
        } catch (RuntimeException e) {
            failed = e;
            throw e;
        } finally {
            detach(store, shardFile, failed);
        }
    }

    private static void detach(SqliteResultsStore store, Path shardFile, RuntimeException failed) {
        try (Statement s = store.connection().createStatement()) {
            s.execute("DETACH DATABASE shard");
        } catch (SQLException e) {
            if (failed != null) {
                failed.addSuppressed(e);
            } else {
                throw SqliteResultsStore.failure(store.file(), "detaching " + shardFile + " after merging it", e);
            }
        }
    }

    private static void mergeRun(SqliteResultsStore store, Connection c, Path shard, RunInfo run) throws SQLException {
        Optional<RunInfo> existing = store.run(run.id());
        if (existing.isEmpty()) {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO main.runs (" + RUN_COLUMNS + ") SELECT " + RUN_COLUMNS + " FROM shard.runs WHERE id = ?")) {
                p.setString(1, run.id());
                p.executeUpdate();
            }
            return;
        }
        RunInfo mine = existing.get();
        if (!mine.name().equals(run.name()) || !mine.spec().equals(run.spec()) || mine.seed() != run.seed()) {
            throw new StoreException("Run " + run.id() + " in " + shard + " has another name, spec or seed than in " + store.file()
                    + ": they are different runs with the same id and cannot be merged. Merge them into separate workspaces.");
        }
        Map<String, String> versions = new LinkedHashMap<>(mine.versions());
        for (Map.Entry<String, String> e : run.versions().entrySet()) {
            String had = versions.putIfAbsent(e.getKey(), e.getValue());
            if (had != null && !had.equals(e.getValue())) {
                throw new StoreException("Run " + run.id() + " used " + e.getKey() + " " + had + " in " + store.file() + " but "
                        + e.getValue() + " in " + shard + ": shards of one run must use the same versions. Merge them into"
                        + " separate workspaces.");
            }
        }
        String status = SEVERITY.indexOf(run.status()) > SEVERITY.indexOf(mine.status()) ? run.status() : mine.status();
        Instant started = run.started().isBefore(mine.started()) ? run.started() : mine.started();
        Instant finished = null;
        if (!status.equals("running")) {
            for (Instant t : new Instant[] {mine.finished(), run.finished()}) {
                finished = t != null && (finished == null || t.isAfter(finished)) ? t : finished;
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE main.runs SET versions = ?, status = ?, started = ?, finished = ? WHERE id = ?")) {
            p.setString(1, SqliteResultsStore.toJson(versions));
            p.setString(2, status);
            p.setString(3, SqliteResultsStore.time(started));
            p.setString(4, finished == null ? null : SqliteResultsStore.time(finished));
            p.setString(5, run.id());
            p.executeUpdate();
        }
    }

    private static void mergeSamples(Connection c, Path shard, String runId) throws SQLException {
        long mine = count(c, "SELECT count(*) FROM main.samples WHERE run = ?", runId);
        long theirs = count(c, "SELECT count(*) FROM shard.samples WHERE run = ?", runId);
        if (theirs == 0) {
            return;
        }
        if (mine == 0) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO main.samples (run, position, dataset_index, label)"
                    + " SELECT run, position, dataset_index, label FROM shard.samples WHERE run = ?")) {
                p.setString(1, runId);
                p.executeUpdate();
            }
            return;
        }
        long differing = count(c, """
                SELECT count(*) FROM shard.samples s LEFT JOIN main.samples m ON m.run = s.run AND m.position = s.position
                WHERE s.run = ? AND (m.position IS NULL OR m.dataset_index <> s.dataset_index OR m.label <> s.label)""", runId);
        if (mine != theirs || differing > 0) {
            throw new StoreException("Run " + runId + " has a different sample selection in " + shard + " (" + theirs
                    + " samples) than in the target (" + mine + " samples): the shards did not evaluate the same images."
                    + " Merge them into separate workspaces.");
        }
    }

    /** Copies the units the target lacks, then their rows, mapping the shard's batch ids to the target's. */
    private static void mergeBatches(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS temp.merge_fresh");
            s.execute("CREATE TEMP TABLE merge_fresh (old_id INTEGER PRIMARY KEY, new_id INTEGER)");
            s.executeUpdate("INSERT INTO temp.merge_fresh (old_id) SELECT b.id FROM shard.batches b"
                    + " WHERE NOT EXISTS (SELECT 1 FROM main.batches m WHERE " + SAME_KEY + ")");
            s.executeUpdate("""
                    INSERT INTO main.batches (run, source, attack, target, repetition, batch_start, committed_at)
                    SELECT b.run, b.source, b.attack, b.target, b.repetition, b.batch_start, b.committed_at
                    FROM temp.merge_fresh f JOIN shard.batches b ON b.id = f.old_id ORDER BY f.old_id""");
            s.executeUpdate("UPDATE temp.merge_fresh SET new_id = (SELECT m.id FROM shard.batches b JOIN main.batches m ON "
                    + SAME_KEY + " WHERE b.id = merge_fresh.old_id)");
            // CROSS JOIN keeps the shard's rows as the outer loop: one pass in commit order, a key lookup per row.
            s.executeUpdate("INSERT INTO main.results (run, batch, " + Schema.RESULT_COLUMNS + ")"
                    + " SELECT r.run, f.new_id, " + prefixed("r.", Schema.RESULT_COLUMNS)
                    + " FROM shard.results r CROSS JOIN temp.merge_fresh f WHERE f.old_id = r.batch ORDER BY r.id");
            s.execute("DROP TABLE temp.merge_fresh");
        }
    }

    private static String prefixed(String prefix, String columns) {
        return prefix + columns.replace(", ", ", " + prefix);
    }

    private static long count(Connection c, String sql, String runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
