package org.mrw.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when the workspace cannot be written, and that earlier rows survive every failure. */
class StoreFailuresTest {

    @TempDir
    Path dir;

    /** A store with one run holding {@code batches} committed units of 100 rows; returns the run id. */
    private String storeWith(int batches) {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            String run = store.createRun("r", "", Map.of(), 1).id();
            for (int b = 0; b < batches; b++) {
                store.commitBatch(run, Rows.unit(b * 100), Rows.of(Rows.unit(b * 100), 100));
            }
            return run;
        }
    }

    private long rowsAfterReopening(String run) {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            return store.rowCount(run);
        }
    }

    /**
     * SQLite opens a file it may not write with its read-only flag, and then refuses every write with
     * SQLITE_READONLY. The tests run as root, whom file permissions do not stop, so the flag is set directly.
     */
    @Test
    void aReadOnlyStoreReadsButRefusesWritesNamingTheFile() {
        String run = storeWith(2);
        try (SqliteResultsStore store = SqliteResultsStore.open(dir, new SqliteResultsStore.Options(true, 1000, 0))) {
            assertThat(store.rowCount(run)).isEqualTo(200);
            assertThatThrownBy(() -> store.commitBatch(run, Rows.unit(200), Rows.of(Rows.unit(200), 100)))
                    .isInstanceOf(StoreException.class).hasMessageContaining(dir.resolve("results.db").toString())
                    .hasMessageContaining("read-only").hasMessageContaining("writable");
            assertThatThrownBy(() -> store.createRun("x", "", Map.of(), 1)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("read-only");
            assertThat(store.doneBatches(run)).hasSize(2);
        }
        assertThat(rowsAfterReopening(run)).isEqualTo(200);
    }

    @Test
    void openReadOnlyOfAFolderWithoutAStoreSaysSo() {
        assertThatThrownBy(() -> SqliteResultsStore.openReadOnly(dir.resolve("empty"))).isInstanceOf(StoreException.class)
                .hasMessageContaining(dir.resolve("empty").resolve("results.db").toString());
        assertThat(dir.resolve("empty")).doesNotExist();
    }

    /** Where permissions apply (not as root), a folder and file made read-only after the store exists. */
    @Test
    void aWorkspaceMadeReadOnlyFailsWithTheFileNamed() throws Exception {
        String run = storeWith(1);
        Path db = dir.resolve("results.db");
        Set<PosixFilePermission> dirMode = Files.getPosixFilePermissions(dir);
        Set<PosixFilePermission> fileMode = Files.getPosixFilePermissions(db);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeThat(Files.isWritable(db)).as("permissions bind this user (not root)").isFalse();
            assertThatThrownBy(() -> {
                try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
                    store.commitBatch(run, Rows.unit(100), Rows.of(Rows.unit(100), 100));
                }
            }).isInstanceOf(StoreException.class).hasMessageContaining(db.toString());
        } finally {
            Files.setPosixFilePermissions(dir, dirMode);
            Files.setPosixFilePermissions(db, fileMode);
        }
        assertThat(rowsAfterReopening(run)).isEqualTo(100);
    }

    @Test
    void aFolderWhereTheDatabaseShouldBeIsReported() throws Exception {
        Files.createDirectories(dir.resolve("results.db"));
        assertThatThrownBy(() -> SqliteResultsStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(dir.resolve("results.db").toString()).hasMessageContaining("is a folder");
    }

    @Test
    void aFileWhereTheWorkspaceFolderShouldBeIsReported() throws Exception {
        Path file = Files.writeString(dir.resolve("workspace"), "not a folder");
        assertThatThrownBy(() -> SqliteResultsStore.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("Cannot create the workspace folder");
    }

    /** PRAGMA max_page_count makes SQLite fail with SQLITE_FULL exactly as a full disk does. */
    @Test
    void aFullDiskFailsTheBatchCleanlyAndKeepsEveryCommittedOne() throws Exception {
        String run = storeWith(1);
        long pages;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("results.db"));
             Statement s = c.createStatement()) {
            pages = Long.parseLong(SqliteResultsStoreTest.single(s, "PRAGMA page_count"));
        }
        int committed = 1;
        StoreException full = null;
        try (SqliteResultsStore store = SqliteResultsStore.open(dir, new SqliteResultsStore.Options(false, 1000, pages + 40))) {
            for (int b = 1; b < 1000 && full == null; b++) {
                try {
                    store.commitBatch(run, Rows.unit(b * 100), Rows.of(Rows.unit(b * 100), 100));
                    committed++;
                } catch (StoreException e) {
                    full = e;
                }
            }
            assertThat(full).isNotNull();
            assertThat(full).hasMessageContaining(dir.resolve("results.db").toString()).hasMessageContaining("full")
                    .hasMessageContaining("kept");
            assertThat(committed).isGreaterThan(1);
            assertThat(store.rowCount(run)).as("the store stays readable").isEqualTo(committed * 100L);
            assertThat(store.doneBatches(run)).hasSize(committed).doesNotContain(Rows.unit(committed * 100));
        }
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            assertThat(store.rowCount(run)).isEqualTo(committed * 100L);
            assertThat(store.commitBatch(run, Rows.unit(committed * 100), Rows.of(Rows.unit(committed * 100), 100)))
                    .as("space freed: the failed unit commits").isTrue();
            assertThat(store.rowCount(run)).isEqualTo((committed + 1) * 100L);
        }
    }

    @Test
    void aDatabaseLockedByAnotherWriterFailsAfterTheTimeoutAndRecovers() throws Exception {
        String run = storeWith(1);
        try (SqliteResultsStore store = SqliteResultsStore.open(dir, new SqliteResultsStore.Options(false, 200, 0));
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("results.db"));
             Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            assertThatThrownBy(() -> store.commitBatch(run, Rows.unit(100), Rows.of(Rows.unit(100), 100)))
                    .isInstanceOf(StoreException.class).hasMessageContaining(dir.resolve("results.db").toString())
                    .hasMessageContaining("locked by another process");
            assertThat(store.rowCount(run)).as("readers are not blocked in WAL mode").isEqualTo(100);
            s.execute("ROLLBACK");
            assertThat(store.commitBatch(run, Rows.unit(100), Rows.of(Rows.unit(100), 100))).isTrue();
        }
        assertThat(rowsAfterReopening(run)).isEqualTo(200);
    }
}
