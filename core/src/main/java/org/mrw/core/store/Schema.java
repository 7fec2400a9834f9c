package org.mrw.core.store;

import java.util.List;

/**
 * The SQL of {@code results.db}, version {@value #VERSION}. A store refuses files of a newer version;
 * an older version would be migrated step by step here (there is none yet).
 */
final class Schema {

    /** The version this code writes; stored in {@code meta} under {@code schema_version}. */
    static final int VERSION = 1;

    /** {@code PRAGMA application_id} of a results store ("MRW1"), so {@code file(1)} and tools can tell it apart. */
    static final int APPLICATION_ID = 0x4D525731;

    static final String VERSION_KEY = "schema_version";

    static final List<String> CREATE = List.of(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            // started/finished are ISO-8601 instants (UTC); versions is a JSON object name -> version.
            """
            CREATE TABLE runs (
              id TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              spec TEXT NOT NULL,
              versions TEXT NOT NULL,
              seed INTEGER NOT NULL,
              started TEXT NOT NULL,
              finished TEXT,
              status TEXT NOT NULL
            )""",
            """
            CREATE TABLE samples (
              run TEXT NOT NULL REFERENCES runs(id),
              position INTEGER NOT NULL,
              dataset_index INTEGER NOT NULL,
              label INTEGER NOT NULL,
              PRIMARY KEY (run, position)
            ) WITHOUT ROWID""",
            // One row per committed unit: its presence is the "done" marker.
            """
            CREATE TABLE batches (
              id INTEGER PRIMARY KEY,
              run TEXT NOT NULL REFERENCES runs(id),
              source TEXT NOT NULL,
              attack TEXT NOT NULL,
              target TEXT NOT NULL,
              repetition INTEGER NOT NULL,
              batch_start INTEGER NOT NULL,
              committed_at TEXT NOT NULL,
              UNIQUE (run, source, attack, target, repetition, batch_start)
            )""",
            // id gives commit order; batch ties each row to its unit, so merges copy whole units only.
            """
            CREATE TABLE results (
              id INTEGER PRIMARY KEY,
              run TEXT NOT NULL REFERENCES runs(id),
              batch INTEGER NOT NULL REFERENCES batches(id),
              sample INTEGER NOT NULL,
              label INTEGER NOT NULL,
              source TEXT NOT NULL,
              attack TEXT NOT NULL,
              epsilon REAL NOT NULL,
              rounded INTEGER NOT NULL,
              target TEXT NOT NULL,
              repetition INTEGER NOT NULL,
              prediction INTEGER NOT NULL,
              confidence REAL NOT NULL,
              margin REAL NOT NULL,
              linf REAL NOT NULL,
              l2 REAL NOT NULL
            )""",
            // The analysis slices a run by target, then attack and ε (accuracy curves, transfer matrices).
            "CREATE INDEX results_by_run_target_attack_epsilon ON results (run, target, attack, epsilon)",
            "INSERT INTO meta (key, value) VALUES ('" + VERSION_KEY + "', '" + VERSION + "')",
            "INSERT INTO meta (key, value) VALUES ('application', 'mrw results store')",
            "PRAGMA application_id = " + APPLICATION_ID);

    static final String INSERT_RESULT = """
            INSERT INTO results (run, batch, sample, label, source, attack, epsilon, rounded, target, repetition,
                                 prediction, confidence, margin, linf, l2)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    static final String RESULT_COLUMNS = "sample, label, source, attack, epsilon, rounded, target, repetition, prediction,"
            + " confidence, margin, linf, l2";

    private Schema() {
    }
}
