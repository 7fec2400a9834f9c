package org.mrw.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.NpzArrays.FloatArray;

/** Shards of one run (same run id, e.g. SLURM array tasks) merge into one workspace without duplicates. */
class StoreMergeTest {

    private static final int[] INDICES = {4, 8, 15, 16, 23, 42};
    private static final int[] LABELS = {1, 2, 3, 4, 5, 6};

    @TempDir
    Path dir;

    private Path shardA;
    private Path shardB;
    private Path target;
    private String run;

    /** A coordinator creates the run, each shard starts from a copy of its workspace. */
    @BeforeEach
    void twoShardsOfOneRun() throws Exception {
        Path coordinator = dir.resolve("coordinator");
        try (SqliteResultsStore store = SqliteResultsStore.open(coordinator)) {
            run = store.createRun("paper", "name: paper\n", Map.of("mrw", "0.1"), 3).id();
            store.saveSamples(run, INDICES, LABELS);
        }
        shardA = dir.resolve("shard-a");
        shardB = dir.resolve("shard-b");
        target = dir.resolve("merged");
        for (Path shard : List.of(shardA, shardB)) {
            Files.createDirectories(shard);
            Files.copy(coordinator.resolve("results.db"), shard.resolve("results.db"));
        }
    }

    private static void commit(Path shard, String run, int... starts) {
        try (SqliteResultsStore store = SqliteResultsStore.open(shard)) {
            for (int start : starts) {
                assertThat(store.commitBatch(run, Rows.unit(start), Rows.of(Rows.unit(start), 100))).isTrue();
                new AdversarialFiles(shard).write(run, Rows.unit(start), 0.03,
                        new FloatArray(new int[] {1, 1, 1, 1}, new float[] {start}));
            }
        }
    }

    @Test
    void shardsOfOneRunMergeIntoTheUnionOfTheirUnitsWithoutDuplicates() {
        commit(shardA, run, 0, 100);
        commit(shardB, run, 100, 200);
        String onlyInB;
        try (SqliteResultsStore b = SqliteResultsStore.open(shardB)) {
            onlyInB = b.createRun("other", "", Map.of(), 9).id();
            b.commitBatch(onlyInB, Rows.FGSM, Rows.of(Rows.FGSM, 7));
            b.finishRun(run, "finished");
        }
        try (SqliteResultsStore a = SqliteResultsStore.open(shardA)) {
            a.finishRun(run, "finished");
        }

        ResultsStore.merge(target, List.of(shardA, shardB));

        try (SqliteResultsStore merged = SqliteResultsStore.open(target)) {
            assertThat(merged.runs()).extracting(RunInfo::id).containsExactly(run, onlyInB);
            assertThat(merged.doneBatches(run)).containsExactlyInAnyOrder(Rows.unit(0), Rows.unit(100), Rows.unit(200));
            List<ResultRow> expected = new ArrayList<>(Rows.of(Rows.unit(0), 100));
            expected.addAll(Rows.of(Rows.unit(100), 100));
            expected.addAll(Rows.of(Rows.unit(200), 100));
            assertThat(merged.rows(run)).isEqualTo(expected);
            assertThat(merged.rowCount(onlyInB)).isEqualTo(7);
            assertThat(merged.samples(run)).containsExactly(INDICES);
            assertThat(merged.sampleLabels(run)).containsExactly(LABELS);
            RunInfo info = merged.run(run).orElseThrow();
            assertThat(info.status()).isEqualTo("finished");
            assertThat(info.finished()).isNotNull();
            assertThat(merged.commitBatch(run, Rows.unit(200), Rows.of(Rows.unit(200), 100))).as("merged units are done").isFalse();
        }
        AdversarialFiles files = new AdversarialFiles(target);
        for (int start : new int[] {0, 100, 200}) {
            assertThat(files.read(run, Rows.unit(start), 0.03).values()).containsExactly(start);
        }

        ResultsStore.merge(target, List.of(shardA, shardB));
        try (SqliteResultsStore merged = SqliteResultsStore.open(target)) {
            assertThat(merged.rowCount(run)).as("merging again adds nothing").isEqualTo(300);
            assertThat(merged.runs()).hasSize(2);
        }
    }

    @Test
    void anUnfinishedShardKeepsTheMergedRunRunningAndAFailedOneMakesItFailed() {
        try (SqliteResultsStore a = SqliteResultsStore.open(shardA)) {
            a.finishRun(run, "finished");
        }
        ResultsStore.merge(target, List.of(shardA, shardB));
        try (SqliteResultsStore merged = SqliteResultsStore.open(target)) {
            assertThat(merged.run(run).orElseThrow().status()).isEqualTo("running");
            assertThat(merged.run(run).orElseThrow().finished()).isNull();
        }
        try (SqliteResultsStore b = SqliteResultsStore.open(shardB)) {
            b.finishRun(run, "failed");
        }
        ResultsStore.merge(target, List.of(shardB));
        try (SqliteResultsStore merged = SqliteResultsStore.open(target)) {
            assertThat(merged.run(run).orElseThrow().status()).isEqualTo("failed");
        }
    }

    @Test
    void shardsWithDifferentSamplesForOneRunAreRefusedAndNothingOfThemIsCopied() {
        commit(shardA, run, 0);
        Path other = dir.resolve("other");
        try (SqliteResultsStore store = SqliteResultsStore.open(other)) {
            store.createRun("x", "", Map.of(), 1);
        }
        // Shard B's samples differ: same run id, but another selection.
        try (SqliteResultsStore b = SqliteResultsStore.open(shardB)) {
            b.commitBatch(run, Rows.unit(500), Rows.of(Rows.unit(500), 10));
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + shardB.resolve("results.db"));
             var s = c.createStatement()) {
            s.executeUpdate("UPDATE samples SET dataset_index = 99 WHERE position = 0");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> ResultsStore.merge(target, List.of(shardA, shardB))).isInstanceOf(StoreException.class)
                .hasMessageContaining(run).hasMessageContaining("different sample selection").hasMessageContaining(shardB.toString());
        try (SqliteResultsStore merged = SqliteResultsStore.open(target)) {
            assertThat(merged.rowCount(run)).as("shard A merged, shard B rolled back").isEqualTo(100);
            assertThat(merged.doneBatches(run)).containsExactly(Rows.unit(0));
        }
    }

    @Test
    void oneIdForTwoDifferentRunsIsRefused() throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + shardB.resolve("results.db"));
             var s = c.createStatement()) {
            s.executeUpdate("UPDATE runs SET spec = 'name: something else'");
        }
        assertThatThrownBy(() -> ResultsStore.merge(target, List.of(shardA, shardB))).isInstanceOf(StoreException.class)
                .hasMessageContaining(run).hasMessageContaining("different runs with the same id");
    }

    @Test
    void aFolderWithoutAStoreOrTheTargetItselfIsNoShard() {
        assertThatThrownBy(() -> ResultsStore.merge(target, List.of(dir.resolve("nothing")))).isInstanceOf(StoreException.class)
                .hasMessageContaining("nothing").hasMessageContaining("not a workspace");
        assertThatThrownBy(() -> ResultsStore.merge(shardA, List.of(shardA))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("into itself");
    }
}
