package org.mrw.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.sqlite.SQLiteConfig;

/**
 * The results store of a workspace folder: {@code results.db}, one SQLite file in WAL mode with
 * {@code synchronous=NORMAL} (a killed process loses no committed batch; a power cut may lose the last
 * ones, never half of one) and foreign keys on. See {@link Schema} for the tables. One connection,
 * used by one thread at a time (methods are synchronized); readers in other processes see committed
 * batches only.
 */
public final class SqliteResultsStore implements ResultsStore {

    /** The database's file name inside a workspace. */
    public static final String DATABASE = "results.db";

    static final int DEFAULT_BUSY_TIMEOUT_MILLIS = 10_000;

    private static final Set<String> STATUSES = Set.of("running", "finished", "cancelled", "failed");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int MAX_NAME_IN_ID = 40;
    /** Instants with all nine fraction digits, so that their text sorts as time does. */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendInstant(9).toFormatter(Locale.ROOT);

    // SQLite's primary result codes (the low byte of extended codes).
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_NOTADB = 26;

    /**
     * How to open the file.
     *
     * @param readOnly          open with SQLite's read-only flag: reads work, every write fails as on a read-only file
     * @param busyTimeoutMillis how long to wait for another process's write lock before failing
     * @param maxPageCount      {@code PRAGMA max_page_count} when positive: tests use it to make SQLite run out of space
     */
    record Options(boolean readOnly, int busyTimeoutMillis, long maxPageCount) {
        static final Options DEFAULT = new Options(false, DEFAULT_BUSY_TIMEOUT_MILLIS, 0);
    }

    /** Work inside a transaction. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    private final Path workspace;
    private final Path file;
    private final Connection connection;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private boolean closed;

    private SqliteResultsStore(Path workspace, Path file, Connection connection) {
        this.workspace = workspace;
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens the store of {@code workspace}, creating the folder and an empty {@code results.db} when
     * missing.
     *
     * @throws StoreException when the folder cannot be created, the file is no results store or is of a
     *                        newer schema version, or SQLite cannot open it
     */
    public static SqliteResultsStore open(Path workspace) {
        return open(workspace, Options.DEFAULT);
    }

    /**
     * Opens an existing store for reading only (analysis, figures, a workspace on read-only storage);
     * every write throws a {@link StoreException}.
     */
    public static SqliteResultsStore openReadOnly(Path workspace) {
        return open(workspace, new Options(true, DEFAULT_BUSY_TIMEOUT_MILLIS, 0));
    }

    /**
     * Copies the runs of shard workspaces (e.g. SLURM array tasks) into {@code target}. See
     * {@link ResultsStore#merge(Path, List)}.
     */
    public static void merge(Path target, List<Path> shardWorkspaces) {
        StoreMerge.merge(target, shardWorkspaces);
    }

    static SqliteResultsStore open(Path workspace, Options options) {
        Objects.requireNonNull(workspace, "workspace");
        Path file = workspace.resolve(DATABASE);
        if (options.readOnly()) {
            if (!Files.exists(file)) {
                throw new StoreException("No results store at " + file + ": the workspace has no " + DATABASE
                        + ". Check the workspace folder.");
            }
        } else {
            try {
                Files.createDirectories(workspace);
            } catch (IOException e) {
                throw new StoreException("Cannot create the workspace folder " + workspace + " (" + describe(e)
                        + "). Choose a folder you can write to.", e);
            }
        }
        if (Files.isDirectory(file)) {
            throw new StoreException(file + " is a folder, not a results database. Move it away or choose another workspace.");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(options.readOnly());
        config.setBusyTimeout(options.busyTimeoutMillis());
        Connection connection;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw failure(file, "opening it", e);
        }
        SqliteResultsStore store = new SqliteResultsStore(workspace, file, connection);
        try {
            store.initialise(options);
            return store;
        } catch (RuntimeException e) {
            store.closeAfterFailure(e);
            throw e;
        }
    }

    /** The workspace folder. */
    public Path workspace() {
        return workspace;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    private void initialise(Options options) {
        try (Statement s = connection.createStatement()) {
            // The first read: SQLITE_NOTADB here when the file is something else.
            Set<String> tables = tables(s);
            if (!tables.contains("meta") && !tables.isEmpty()) {
                throw new StoreException(file + " is an SQLite database but not an mrw results store (tables " + tables
                        + ", no meta table). Choose another workspace folder, or move the file away.");
            }
            if (!options.readOnly()) {
                String mode = queryString(s, "PRAGMA journal_mode = WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new StoreException("SQLite cannot use write-ahead logging for " + file + " (journal mode stays "
                            + mode + "); the file system may not support it. Use a workspace on a local disk.");
                }
            }
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("PRAGMA foreign_keys = ON");
            if (options.maxPageCount() > 0) {
                queryString(s, "PRAGMA max_page_count = " + options.maxPageCount());
            }
            if (!tables.contains("meta")) {
                if (options.readOnly()) {
                    throw new StoreException(file + " is empty: there are no results to read. Check the workspace folder.");
                }
                createSchema();
            }
            checkVersion(s);
        } catch (SQLException e) {
            throw failure("opening it", e);
        }
    }

    private static Set<String> tables(Statement s) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (ResultSet r = s.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table'")) {
            while (r.next()) {
                tables.add(r.getString(1));
            }
        }
        return tables;
    }

    private void createSchema() {
        inTransaction("creating its tables", () -> {
            try (Statement s = connection.createStatement()) {
                // Another process may have created them between our check and our write lock.
                if (tables(s).contains("meta")) {
                    return null;
                }
                for (String sql : Schema.CREATE) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    private void checkVersion(Statement s) throws SQLException {
        String value;
        try (ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = '" + Schema.VERSION_KEY + "'")) {
            value = r.next() ? r.getString(1) : null;
        }
        int version;
        try {
            version = value == null ? -1 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            version = -1;
        }
        if (version < 1) {
            throw new StoreException(file + " has a meta table but no valid schema version (" + value
                    + "): it is not an mrw results store, or it is damaged. Choose another workspace folder.");
        }
        if (version > Schema.VERSION) {
            throw new StoreException(file + " was written by a newer mrw (results schema version " + version
                    + "; this mrw reads up to version " + Schema.VERSION + "). Update mrw to open it, or choose another workspace.");
        }
    }

    @Override
    public synchronized RunInfo createRun(String name, String specYaml, Map<String, String> versions, long seed) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(specYaml, "specYaml");
        Objects.requireNonNull(versions, "versions");
        Instant started = Instant.now();
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        return inTransaction("creating run " + name, () -> {
            try (PreparedStatement p = connection.prepareStatement(
                    "INSERT OR IGNORE INTO runs (id, name, spec, versions, seed, started, status) VALUES (?, ?, ?, ?, ?, ?, 'running')")) {
                // The random suffix keeps ids unique across shards started in the same second; retry on the rare clash.
                for (int attempt = 0; attempt < 100; attempt++) {
                    String id = runId(name, started);
                    p.setString(1, id);
                    p.setString(2, name);
                    p.setString(3, specYaml);
                    p.setString(4, toJson(copy));
                    p.setLong(5, seed);
                    p.setString(6, time(started));
                    if (p.executeUpdate() == 1) {
                        return new RunInfo(id, name, specYaml, copy, seed, started, null, "running");
                    }
                }
            }
            throw new IllegalStateException("no unique run id found for " + name);
        });
    }

    @Override
    public synchronized RunInfo createRun(String id, String name, String specYaml, Map<String, String> versions, long seed) {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[A-Za-z0-9._-]{1,120}")) {
            throw new IllegalArgumentException("run id must be 1-120 letters, digits, '.', '_' or '-', got " + id);
        }
        Instant started = Instant.now();
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        return inTransaction("creating run " + id, () -> {
            try (PreparedStatement p = connection.prepareStatement(
                    "INSERT OR IGNORE INTO runs (id, name, spec, versions, seed, started, status) VALUES (?, ?, ?, ?, ?, ?, 'running')")) {
                p.setString(1, id);
                p.setString(2, name);
                p.setString(3, specYaml);
                p.setString(4, toJson(copy));
                p.setLong(5, seed);
                p.setString(6, time(started));
                if (p.executeUpdate() != 1) {
                    throw new StoreException("run " + id + " already exists in " + file() + "; resume it or use another workspace");
                }
                return new RunInfo(id, name, specYaml, copy, seed, started, null, "running");
            }
        });
    }

    private String runId(String name, Instant started) {
        return ID_TIME.format(started) + "-" + idName(name) + "-" + HexFormat.of().toHexDigits((short) random.nextInt());
    }

    /** The name as it appears in run ids and folder names: letters, digits, '.', '_' and '-' only. */
    static String idName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (s.length() > MAX_NAME_IN_ID) {
            s = s.substring(0, MAX_NAME_IN_ID).replaceAll("[-.]+$", "");
        }
        return s.isEmpty() ? "run" : s;
    }

    @Override
    public synchronized Optional<RunInfo> run(String runId) {
        List<RunInfo> found = queryRuns("WHERE id = ?", runId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public synchronized List<RunInfo> runs() {
        return queryRuns("ORDER BY started, rowid", null);
    }

    private List<RunInfo> queryRuns(String where, String runId) {
        requireOpen();
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT id, name, spec, versions, seed, started, finished, status FROM runs " + where)) {
            if (runId != null) {
                p.setString(1, runId);
            }
            List<RunInfo> runs = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String finished = r.getString(7);
                    runs.add(new RunInfo(r.getString(1), r.getString(2), r.getString(3), fromJson(r.getString(4)), r.getLong(5),
                            Instant.parse(r.getString(6)), finished == null ? null : Instant.parse(finished), r.getString(8)));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw failure("reading runs", e);
        }
    }

    @Override
    public synchronized void saveSamples(String runId, int[] datasetIndices, int[] labels) {
        if (datasetIndices.length != labels.length) {
            throw new IllegalArgumentException("one label per sample: " + datasetIndices.length + " indices, " + labels.length + " labels");
        }
        inTransaction("saving the samples of run " + runId, () -> {
            requireRun(runId);
            int[][] saved = samplesAndLabels(runId);
            if (saved[0].length > 0) {
                if (!java.util.Arrays.equals(saved[0], datasetIndices) || !java.util.Arrays.equals(saved[1], labels)) {
                    throw new IllegalArgumentException("run " + runId + " already has a different sample selection (" + saved[0].length
                            + " samples saved, " + datasetIndices.length + " given); resume it with the same dataset and selection.");
                }
                return null;
            }
            try (PreparedStatement p = connection.prepareStatement(
                    "INSERT INTO samples (run, position, dataset_index, label) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < datasetIndices.length; i++) {
                    p.setString(1, runId);
                    p.setInt(2, i);
                    p.setInt(3, datasetIndices[i]);
                    p.setInt(4, labels[i]);
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    @Override
    public synchronized int[] samples(String runId) {
        requireOpen();
        try {
            return samplesAndLabels(runId)[0];
        } catch (SQLException e) {
            throw failure("reading the samples of run " + runId, e);
        }
    }

    /** The run's sample labels in selection order (empty when not saved yet). */
    public synchronized int[] sampleLabels(String runId) {
        requireOpen();
        try {
            return samplesAndLabels(runId)[1];
        } catch (SQLException e) {
            throw failure("reading the samples of run " + runId, e);
        }
    }

    private int[][] samplesAndLabels(String runId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT dataset_index, label FROM samples WHERE run = ? ORDER BY position")) {
            p.setString(1, runId);
            List<int[]> rows = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.add(new int[] {r.getInt(1), r.getInt(2)});
                }
            }
            int[][] out = new int[2][rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                out[0][i] = rows.get(i)[0];
                out[1][i] = rows.get(i)[1];
            }
            return out;
        }
    }

    @Override
    public synchronized Set<BatchKey> doneBatches(String runId) {
        requireOpen();
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT source, attack, target, repetition, batch_start FROM batches WHERE run = ? ORDER BY id")) {
            p.setString(1, runId);
            Set<BatchKey> done = new LinkedHashSet<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    done.add(new BatchKey(r.getString(1), r.getString(2), r.getString(3), r.getInt(4), r.getInt(5)));
                }
            }
            return Collections.unmodifiableSet(done);
        } catch (SQLException e) {
            throw failure("reading the finished batches of run " + runId, e);
        }
    }

    @Override
    public synchronized boolean commitBatch(String runId, BatchKey key, List<ResultRow> rows) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rows, "rows");
        return inTransaction("committing batch " + key + " of run " + runId, () -> {
            // Checked under the write lock, so two writers resuming the same run cannot both commit a unit.
            PreparedStatement find = prepared("SELECT 1 FROM batches WHERE run = ? AND source = ? AND attack = ?"
                    + " AND target = ? AND repetition = ? AND batch_start = ?");
            bindKey(find, runId, key);
            try (ResultSet r = find.executeQuery()) {
                if (r.next()) {
                    return false;
                }
            }
            requireRun(runId);
            PreparedStatement batch = prepared("INSERT INTO batches (run, source, attack, target, repetition,"
                    + " batch_start, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
            bindKey(batch, runId, key);
            batch.setString(7, time(Instant.now()));
            batch.executeUpdate();
            long batchId;
            try (ResultSet r = prepared("SELECT last_insert_rowid()").executeQuery()) {
                r.next();
                batchId = r.getLong(1);
            }
            PreparedStatement insert = prepared(Schema.INSERT_RESULT);
            for (ResultRow row : rows) {
                insert.setString(1, runId);
                insert.setLong(2, batchId);
                insert.setInt(3, row.sample());
                insert.setInt(4, row.label());
                insert.setString(5, row.source());
                insert.setString(6, row.attack());
                insert.setDouble(7, row.epsilon());
                insert.setInt(8, row.rounded() ? 1 : 0);
                insert.setString(9, row.target());
                insert.setInt(10, row.repetition());
                insert.setInt(11, row.prediction());
                insert.setFloat(12, row.confidence());
                insert.setFloat(13, row.margin());
                insert.setFloat(14, row.linf());
                insert.setFloat(15, row.l2());
                insert.addBatch();
            }
            if (!rows.isEmpty()) {
                insert.executeBatch();
            }
            return true;
        });
    }

    /** The hot path's statements, prepared once per connection. */
    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement p = prepared.get(sql);
        if (p == null) {
            p = connection.prepareStatement(sql);
            prepared.put(sql, p);
        }
        return p;
    }

    private static void bindKey(PreparedStatement p, String runId, BatchKey key) throws SQLException {
        p.setString(1, runId);
        p.setString(2, key.source());
        p.setString(3, key.attack());
        p.setString(4, key.target());
        p.setInt(5, key.repetition());
        p.setInt(6, key.batchStart());
    }

    private void requireRun(String runId) throws SQLException {
        PreparedStatement p = prepared("SELECT 1 FROM runs WHERE id = ?");
        p.setString(1, runId);
        try (ResultSet r = p.executeQuery()) {
            if (!r.next()) {
                throw new IllegalArgumentException("no run " + runId + " in " + file);
            }
        }
    }

    @Override
    public synchronized void finishRun(String runId, String status) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("run status must be one of " + new TreeSet<>(STATUSES) + ", got " + status);
        }
        inTransaction("finishing run " + runId, () -> {
            try (PreparedStatement p = connection.prepareStatement("UPDATE runs SET status = ?, finished = ? WHERE id = ?")) {
                p.setString(1, status);
                // "running" again (a resume) has no end time yet
                p.setString(2, status.equals("running") ? null : time(Instant.now()));
                p.setString(3, runId);
                if (p.executeUpdate() == 0) {
                    throw new IllegalArgumentException("no run " + runId + " in " + file);
                }
            }
            return null;
        });
    }

    @Override
    public synchronized List<ResultRow> rows(String runId) {
        requireOpen();
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT " + Schema.RESULT_COLUMNS + " FROM results WHERE run = ? ORDER BY id")) {
            p.setString(1, runId);
            List<ResultRow> rows = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.add(new ResultRow(r.getInt(1), r.getInt(2), r.getString(3), r.getString(4), r.getDouble(5), r.getInt(6) != 0,
                            r.getString(7), r.getInt(8), r.getInt(9), r.getFloat(10), r.getFloat(11), r.getFloat(12), r.getFloat(13)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("reading the results of run " + runId, e);
        }
    }

    @Override
    public synchronized long rowCount(String runId) {
        requireOpen();
        try (PreparedStatement p = connection.prepareStatement("SELECT count(*) FROM results WHERE run = ?")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("counting the results of run " + runId, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Closing the last connection checkpoints the WAL into results.db and removes the -wal file.
            connection.close();
        } catch (SQLException e) {
            throw failure("closing it", e);
        }
    }

    /** Runs {@code work} with this store's connection inside one write transaction (for {@link StoreMerge}). */
    synchronized <T> T inTransaction(String doing, SqlWork<T> work) {
        requireOpen();
        try (Statement s = connection.createStatement()) {
            // IMMEDIATE takes the write lock now: waiting for it happens before any work, within the busy timeout.
            s.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw failure(doing, e);
        }
        try {
            T result = work.run();
            try (Statement s = connection.createStatement()) {
                s.execute("COMMIT");
            }
            return result;
        } catch (SQLException e) {
            rollback(e);
            throw failure(doing, e);
        } catch (RuntimeException e) {
            rollback(e);
            throw e;
        }
    }

    Connection connection() {
        return connection;
    }

    private void rollback(Exception cause) {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR): then there is nothing to undo.
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                cause.addSuppressed(e);
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the results store " + file + " is closed");
        }
    }

    private void closeAfterFailure(RuntimeException cause) {
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    static String toJson(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("versions cannot be written as JSON", e);
        }
    }

    private Map<String, String> fromJson(String json) {
        try {
            return Collections.unmodifiableMap(JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { }));
        } catch (JsonProcessingException e) {
            throw new StoreException("The versions of a run in " + file + " are not a JSON object of strings (" + e.getOriginalMessage()
                    + "): the file is damaged. Restore it from a backup or start a new workspace.", e);
        }
    }

    private RuntimeException failure(String doing, SQLException e) {
        return failure(file, doing, e);
    }

    /**
     * The exception for a failed SQLite call: names the file, what was being done and what to do. A
     * foreign-key failure is a caller's mistake (an unknown run), not a broken store.
     */
    static RuntimeException failure(Path file, String doing, SQLException e) {
        int code = e.getErrorCode() & 0xFF;
        String detail = e.getMessage();
        String kept = " Rows committed before are kept.";
        return switch (code) {
            case SQLITE_READONLY -> new StoreException("The results store " + file + " is read-only: " + doing + " failed (" + detail
                    + ")." + kept + " Make the workspace folder and its " + DATABASE + " writable, or choose another workspace.", e);
            case SQLITE_FULL -> new StoreException("The disk holding " + file + " is full: " + doing + " failed (" + detail + ")."
                    + kept + " Free some space (or move the workspace) and resume the run.", e);
            case SQLITE_BUSY, SQLITE_LOCKED -> new StoreException("The results store " + file + " is locked by another process: "
                    + doing + " failed (" + detail + ")." + kept + " Wait for the other mrw run to finish, or close the program"
                    + " holding the file, then resume.", e);
            case SQLITE_NOTADB -> new StoreException(file + " is not an SQLite database, so not a results store: " + doing
                    + " failed (" + detail + "). Choose another workspace folder, or move the file away.", e);
            case SQLITE_CORRUPT -> new StoreException("The results store " + file + " is damaged: " + doing + " failed (" + detail
                    + "). Restore it from a backup, or copy what is readable with sqlite3's .recover into a new workspace.", e);
            case SQLITE_CANTOPEN -> new StoreException("SQLite cannot open " + file + ": " + doing + " failed (" + detail
                    + "). Check that the workspace folder exists and is writable and that " + DATABASE + " is a file.", e);
            case SQLITE_IOERR -> new StoreException("Reading or writing " + file + " failed: " + doing + " (" + detail + ")." + kept
                    + " Check the disk and resume the run.", e);
            case SQLITE_CONSTRAINT -> new IllegalArgumentException(doing + " violates the store's rules in " + file + " (" + detail
                    + "); the run or unit it names may not exist.", e);
            default -> new StoreException("The results store " + file + " failed: " + doing + " (" + detail + ").", e);
        };
    }

    private static String describe(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
