package org.mrw.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteResultsStoreTest {

    @TempDir
    Path dir;

    @Test
    void openCreatesTheFolderAndAWalDatabaseWithTheSchemaVersion() throws Exception {
        Path workspace = dir.resolve("a/b/workspace");
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace)) {
            assertThat(store.runs()).isEmpty();
        }
        Path db = workspace.resolve("results.db");
        assertThat(db).isRegularFile();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThat(single(s, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(s, "SELECT value FROM meta WHERE key = 'schema_version'")).isEqualTo("1");
            assertThat(single(s, "PRAGMA application_id")).isEqualTo(String.valueOf(Schema.APPLICATION_ID));
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            assertThat(tables).containsExactly("batches", "meta", "results", "runs", "samples");
            String plan = single(s, "EXPLAIN QUERY PLAN SELECT count(*) FROM results WHERE run = 'x' AND target = 't' AND attack = 'a'",
                    4);
            assertThat(plan).contains("results_by_run_target_attack_epsilon");
        }
    }

    @Test
    void aRunReadsBackAsCreatedAndFinishes() {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            RunInfo run = store.createRun("paper sweep: CIFAR/ε", "name: paper\nseed: 7\n", Map.of("pytorch", "2.7.1", "mrw", "0.1"), 7);
            assertThat(run.id()).matches("\\d{8}-\\d{6}-paper-sweep-CIFAR-[0-9a-f]{4}");
            assertThat(run.status()).isEqualTo("running");
            assertThat(run.finished()).isNull();
            assertThat(store.run(run.id())).contains(run);
            store.finishRun(run.id(), "finished");
            RunInfo finished = store.run(run.id()).orElseThrow();
            assertThat(finished.status()).isEqualTo("finished");
            assertThat(finished.finished()).isAfterOrEqualTo(run.started());
            assertThat(finished.versions()).isEqualTo(Map.of("pytorch", "2.7.1", "mrw", "0.1"));
            assertThatThrownBy(() -> store.finishRun(run.id(), "done")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("finished");
            assertThatThrownBy(() -> store.finishRun("nope", "failed")).hasMessageContaining("no run nope");
            assertThat(store.run("nope")).isEmpty();
        }
    }

    @Test
    void runIdsStayUniqueForOneNameInOneSecond() {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                ids.add(store.createRun("same", "", Map.of(), i).id());
            }
            assertThat(ids).hasSize(200);
            assertThat(store.runs()).hasSize(200).extracting(RunInfo::seed).startsWith(0L, 1L, 2L);
        }
    }

    @Test
    void idNamesKeepOnlySafeCharacters() {
        assertThat(SqliteResultsStore.idName("../../etc/passwd")).isEqualTo("etc-passwd");
        assertThat(SqliteResultsStore.idName("  ")).isEqualTo("run");
        assertThat(SqliteResultsStore.idName("x".repeat(100))).hasSize(40);
    }

    @Test
    void aBatchCommitsOnceAndReadsBackInCommitOrder() {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            String run = store.createRun("r", "", Map.of(), 1).id();
            List<ResultRow> first = Rows.of(Rows.unit(100), 50);
            List<ResultRow> second = Rows.of(Rows.unit(0), 100);
            assertThat(store.commitBatch(run, Rows.unit(100), first)).isTrue();
            assertThat(store.commitBatch(run, Rows.unit(0), second)).isTrue();
            assertThat(store.commitBatch(run, Rows.unit(100), Rows.of(Rows.unit(100), 50))).isFalse();
            List<ResultRow> expected = new ArrayList<>(first);
            expected.addAll(second);
            assertThat(store.rows(run)).isEqualTo(expected);
            assertThat(store.rowCount(run)).isEqualTo(150);
            assertThat(store.doneBatches(run)).containsExactly(Rows.unit(100), Rows.unit(0));
        }
        try (SqliteResultsStore reopened = SqliteResultsStore.open(dir)) {
            String run = reopened.runs().get(0).id();
            assertThat(reopened.commitBatch(run, Rows.unit(0), Rows.of(Rows.unit(0), 100))).isFalse();
            assertThat(reopened.rowCount(run)).isEqualTo(150);
        }
    }

    @Test
    void unitsDifferingInAnyKeyFieldAreDistinct() {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            String run = store.createRun("r", "", Map.of(), 1).id();
            BatchKey k = Rows.FGSM;
            List<BatchKey> keys = List.of(k, new BatchKey("other", k.attack(), k.target(), 0, 0),
                    new BatchKey(k.source(), "pgd", k.target(), 0, 0), new BatchKey(k.source(), k.attack(), "t2", 0, 0),
                    new BatchKey(k.source(), k.attack(), k.target(), 1, 0), new BatchKey(k.source(), k.attack(), k.target(), 0, 10));
            for (BatchKey key : keys) {
                assertThat(store.commitBatch(run, key, Rows.of(key, 3))).as(key.toString()).isTrue();
            }
            assertThat(store.doneBatches(run)).containsExactlyElementsOf(keys);
            String other = store.createRun("r2", "", Map.of(), 1).id();
            assertThat(store.commitBatch(other, k, Rows.of(k, 3))).as("same unit, another run").isTrue();
        }
    }

    @Test
    void anEmptyUnitIsMarkedDone() {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            String run = store.createRun("r", "", Map.of(), 1).id();
            assertThat(store.commitBatch(run, Rows.FGSM, List.of())).isTrue();
            assertThat(store.doneBatches(run)).containsExactly(Rows.FGSM);
            assertThat(store.commitBatch(run, Rows.FGSM, List.of())).isFalse();
        }
    }

    @Test
    void committingToAnUnknownRunFailsAndLeavesNoMarker() {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            assertThatThrownBy(() -> store.commitBatch("missing", Rows.FGSM, Rows.of(Rows.FGSM, 2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no run missing");
            assertThat(store.doneBatches("missing")).isEmpty();
            assertThat(store.rowCount("missing")).isZero();
        }
    }

    @Test
    void samplesAreSavedOnceAndASecondDifferentSelectionIsRefused() {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            String run = store.createRun("r", "", Map.of(), 1).id();
            assertThat(store.samples(run)).isEmpty();
            store.saveSamples(run, new int[] {5, 3, 9}, new int[] {1, 0, 7});
            store.saveSamples(run, new int[] {5, 3, 9}, new int[] {1, 0, 7});
            assertThat(store.samples(run)).containsExactly(5, 3, 9);
            assertThat(store.sampleLabels(run)).containsExactly(1, 0, 7);
            assertThatThrownBy(() -> store.saveSamples(run, new int[] {5, 3, 8}, new int[] {1, 0, 7}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(run).hasMessageContaining("different sample");
            assertThatThrownBy(() -> store.saveSamples(run, new int[] {1}, new int[] {1, 2}))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.samples(run)).containsExactly(5, 3, 9);
        }
    }

    @Test
    void aStoreOfANewerSchemaVersionIsRefusedWithAdvice() throws Exception {
        SqliteResultsStore.open(dir).close();
        Path db = dir.resolve("results.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        }
        assertThatThrownBy(() -> SqliteResultsStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString()).hasMessageContaining("newer mrw").hasMessageContaining("version 99")
                .hasMessageContaining("Update mrw");
    }

    @Test
    void anotherSqliteDatabaseIsNotTakenForAStore() throws Exception {
        Path db = dir.resolve("results.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INTEGER)");
        }
        assertThatThrownBy(() -> SqliteResultsStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString()).hasMessageContaining("not an mrw results store").hasMessageContaining("customers");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT count(*) FROM sqlite_schema")).as("left untouched").isEqualTo("1");
        }
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedAndLeftAlone() throws Exception {
        Path db = dir.resolve("results.db");
        String text = "run,sample,prediction\n" + "x,1,2\n".repeat(200);
        Files.writeString(db, text);
        assertThatThrownBy(() -> SqliteResultsStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString()).hasMessageContaining("not an SQLite database").hasMessageContaining("move the file away");
        assertThat(Files.readString(db)).isEqualTo(text);
    }

    @Test
    void aClosedStoreSaysSo() {
        SqliteResultsStore store = SqliteResultsStore.open(dir);
        store.close();
        store.close();
        assertThatThrownBy(store::runs).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    static String single(Statement s, String sql) throws Exception {
        return single(s, sql, 1);
    }

    static String single(Statement s, String sql, int column) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            assertThat(r.next()).as(sql).isTrue();
            return r.getString(column);
        }
    }
}
