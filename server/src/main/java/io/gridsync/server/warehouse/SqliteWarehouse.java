package io.gridsync.server.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default warehouse: one SQLite file per schema, {@code <dir>/<schema>.db} (WAL, every commit
 * synced), so {@code sqlite3 gridsync-data/warehouse/sendgrid.db} opens a source's tables. Each
 * schema has one writer connection (SQLite has one writer anyway); loads are multi-row prepared
 * inserts inside the caller's one transaction. Timestamps are ISO 8601 text in UTC
 * ({@code 2024-05-01T12:00:00.000Z}), booleans 0/1, JSON text.
 */
final class SqliteWarehouse extends WarehouseDialect {

    /** SQLite allows 32,766 parameters per statement; stay well below it. */
    private static final int MAX_PARAMETERS = 16_000;
    private static final int MAX_ROWS_PER_STATEMENT = 500;
    /** A WAL past this size is started over (see {@link Checkpointer}); also the size its file is cut back to. */
    static final long WAL_RESTART_BYTES = 64L << 20;

    private final long walRestartBytes;
    private static final long CHECKPOINT_INTERVAL_MS = 500;
    /** Prepared statements kept per schema; past this the cache starts over (shapes of rows vary little). */
    private static final int MAX_CACHED_STATEMENTS = 2_000;

    private final Path dir;
    private final Map<String, Writer> writers = new HashMap<>();

    /** A statement's shape: table, the columns it inserts, how many rows, what it does on conflict. */
    private record StatementKey(String table, BitSet columns, int rows, String conflict) {}

    private static final class Writer {
        final ReentrantLock lock = new ReentrantLock();
        Connection connection;
        /** Copies the WAL into the database beside the writer, so a commit never waits for a checkpoint. */
        Checkpointer checkpointer;
        /** Prepared multi-row statements, kept for the connection's life (the SQL text is built only once per shape). */
        final Map<StatementKey, PreparedStatement> statements = new HashMap<>();
    }

    SqliteWarehouse(Path dir) {
        this(dir, WAL_RESTART_BYTES);
    }

    /** @param walRestartBytes WAL size past which it is started over (tests use a small one) */
    SqliteWarehouse(Path dir, long walRestartBytes) {
        this.dir = dir;
        this.walRestartBytes = walRestartBytes;
        io.gridsync.server.security.PrivateFiles.createDirectory(dir);
    }

    @Override
    String describe() {
        return "SQLite files in " + dir.toAbsolutePath();
    }

    /** Every file in the directory: each schema's database, WAL and shared-memory file. */
    @Override
    long diskBytes() {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file(String schema) {
        return dir.resolve(schema + ".db");
    }

    private Connection open(String schema, boolean readOnly) throws SQLException {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "FULL"); // a webhook is acknowledged only after its rows are on disk
        p.setProperty("busy_timeout", "10000");
        p.setProperty("cache_size", "-65536"); // 64 MiB of page cache: the key indexes stay in memory
        p.setProperty("temp_store", "MEMORY");
        p.setProperty("secure_delete", "true"); // deleted rows are overwritten with zeros, so an erasure leaves no bytes behind
        // pages stay SQLite's 4 KiB: 16 and 64 KiB were measured slower for event rows (every commit
        // writes the last, partly filled page of each table and index into the WAL again)
        if (readOnly) {
            p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        }
        if (!readOnly) {
            io.gridsync.server.security.PrivateFiles.createFile(file(schema)); // 0600 before SQLite creates it (and its -wal, -shm)
        }
        return DriverManager.getConnection("jdbc:sqlite:" + file(schema).toAbsolutePath(), p);
    }

    private Writer writer(String schema) {
        synchronized (writers) {
            return writers.computeIfAbsent(schema, s -> new Writer());
        }
    }

    /** The schema's one writing connection, opened on first use; the caller holds {@code w.lock}. */
    private Connection connection(Writer w, String schema) throws SQLException {
        if (w.connection == null) {
            w.connection = open(schema, false);
            try (Statement st = w.connection.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint = 0"); // the checkpointer's job, off the writer's path
                st.execute("PRAGMA journal_size_limit = " + walRestartBytes); // the WAL file shrinks back after a restart
            }
        }
        return w.connection;
    }

    @Override
    <T> T inTransaction(String schema, SqlWork<T> work) throws SQLException {
        Writer w = writer(schema);
        w.lock.lock();
        try {
            if (w.connection == null) {
                connection(w, schema);
                if (w.checkpointer == null) {
                    w.checkpointer = new Checkpointer(schema, () -> open(schema, false), w.lock, walRestartBytes);
                }
            }
            Connection c = w.connection;
            try (Statement st = c.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                try {
                    T result = work.run(c);
                    st.execute("COMMIT");
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        st.execute("ROLLBACK");
                    } catch (SQLException ignored) {
                        // the connection is dropped below; SQLite rolls back on close
                    }
                    drop(w);
                    throw e;
                }
            }
        } finally {
            w.lock.unlock();
        }
    }

    /**
     * Runs SQLite's checkpoint (PASSIVE: it never blocks the writer) on its own connection and thread
     * about twice a second while there is WAL to copy; a commit would otherwise run it itself now
     * and then and make that post wait for a disk copy and an fsync.
     * <p>
     * Under a steady stream of commits such a checkpoint never finds the WAL fully copied, and SQLite
     * starts the WAL over only when it is: the file would grow by every byte ever written. So once
     * the WAL passes {@link #WAL_RESTART_BYTES} the checkpointer copies the little that is left
     * while holding the writer's lock (a few milliseconds), and the next commit starts the WAL from
     * its beginning, in pages the OS already holds.
     */
    private static final class Checkpointer implements Runnable {
        interface Opener {
            Connection open() throws SQLException;
        }

        private final Opener opener;
        private final ReentrantLock writer;
        private final long restartBytes;
        private final Thread thread;
        private volatile boolean stopped;

        Checkpointer(String schema, Opener opener, ReentrantLock writer, long restartBytes) {
            this.opener = opener;
            this.writer = writer;
            this.restartBytes = restartBytes;
            this.thread = new Thread(this, "gridsync-warehouse-checkpoint-" + schema);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            Connection c = null;
            while (!stopped) {
                try {
                    Thread.sleep(CHECKPOINT_INTERVAL_MS);
                    if (c == null) {
                        c = opener.open();
                    }
                    long walPages = checkpoint(c);
                    if (walPages * pageSize(c) > restartBytes) {
                        writer.lockInterruptibly();
                        try {
                            checkpoint(c); // nothing is being added now: this one gets to the end
                        } finally {
                            writer.unlock();
                        }
                    }
                } catch (InterruptedException e) {
                    break;
                } catch (SQLException | RuntimeException e) {
                    close(c);
                    c = null; // a fresh connection next time; the WAL only waits longer to be copied
                } catch (Error e) {
                    io.gridsync.server.health.Fatal.exit(Thread.currentThread().getName(), e);
                }
            }
            if (c != null) {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA wal_checkpoint(TRUNCATE)"); // leave a small WAL behind
                } catch (SQLException ignored) {
                    // the next open checkpoints anyway
                }
                close(c);
            }
        }

        /** A PASSIVE checkpoint; returns how many pages the WAL holds. */
        private static long checkpoint(Connection c) throws SQLException {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                return rs.next() ? rs.getLong(2) : 0;
            }
        }

        private long pageSize = 0;

        private long pageSize(Connection c) throws SQLException {
            if (pageSize == 0) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA page_size")) {
                    pageSize = rs.next() ? rs.getLong(1) : 4096;
                }
            }
            return pageSize;
        }

        private static void close(Connection c) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // gone either way
                }
            }
        }

        void stop() {
            stopped = true;
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void drop(Writer w) {
        w.statements.clear();
        try {
            w.connection.close();
        } catch (SQLException ignored) {
            // it is gone either way
        }
        w.connection = null;
    }

    /**
     * Copies the WAL into the database and truncates it to zero bytes, holding the writer's lock so
     * no commit adds to it meanwhile: the old page images of deleted rows (secure_delete zeroed them
     * in the database) leave the WAL file too. Busy when a reader still uses an old snapshot.
     */
    @Override
    boolean releaseDeleted(String schema, List<String> tables) throws SQLException {
        if (!Files.exists(file(schema))) {
            return true;
        }
        Writer w = writer(schema);
        w.lock.lock();
        try {
            try (Statement st = connection(w, schema).createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                return rs.next() && rs.getInt(1) == 0;
            }
        } finally {
            w.lock.unlock();
        }
    }

    @Override
    <T> T query(String schema, SqlWork<T> work) throws SQLException {
        if (!Files.exists(file(schema))) {
            // a read must not create the file; an empty in-memory database answers "no such table"
            try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
                return work.run(c);
            }
        }
        try (Connection c = open(schema, true)) {
            return work.run(c);
        }
    }

    @Override
    String utcDay(String timestamp) {
        return "substr(" + timestamp + ", 1, 10)"; // times are ISO 8601 text in UTC
    }

    @Override
    String eachJsonText(String from, String json, String as) {
        return "SELECT t.*, j.value AS " + quote(as) + " FROM " + from + " t, json_each(t." + quote(json) + ") j WHERE t." + quote(json)
                + " IS NOT NULL";
    }

    @Override
    String qualified(String schema, String table) {
        return quote(table);
    }

    @Override
    String sqlType(ColumnType type) {
        return switch (type) {
            case TEXT, JSON, TIMESTAMP -> "TEXT";
            case BIGINT, BOOLEAN -> "INTEGER";
            case DOUBLE -> "REAL";
        };
    }

    /** Timestamps are fixed-width ISO text here, so the literal is the text and compares as times do. */
    @Override
    String timestampLiteral(java.time.Instant at) {
        return "'" + WarehouseValues.timestampText(at) + "'";
    }

    @Override
    void createSchema(Connection c, String schema) {
        // the schema is the file, created when its first connection opened
    }

    @Override
    Set<String> existingColumns(Connection c, String schema, String table) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + quote(table) + ")")) {
            while (rs.next()) {
                out.add(rs.getString("name"));
            }
        }
        return out;
    }

    @Override
    Set<String> existingTables(Connection c, String schema) throws SQLException {
        Set<String> out = new java.util.TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    int appendNew(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException {
        return load(c, table, rows, " ON CONFLICT (" + keyList(table) + ") DO NOTHING");
    }

    @Override
    int upsert(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException {
        return load(c, table, rows, " ON CONFLICT (" + keyList(table) + ") DO UPDATE SET " + updateFromExcluded(table));
    }

    @Override
    Object prepareAppend(WarehouseTable table, List<Object[]> rows) {
        return shapes(table, rows); // on the request thread: the writer is left with binding and SQLite's own work
    }

    @Override
    int appendPrepared(Connection c, String schema, WarehouseTable table, List<PreparedRows> parts) throws SQLException {
        Map<BitSet, List<Object[]>> merged;
        if (parts.size() == 1) {
            merged = shapesOf(parts.get(0));
        } else {
            merged = new LinkedHashMap<>();
            for (PreparedRows part : parts) {
                shapesOf(part).forEach((shape, rows) -> merged.computeIfAbsent(shape, k -> new ArrayList<>()).addAll(rows));
            }
        }
        // equal keys in two parts: the conflict clause keeps whichever comes first
        return load(c, table, merged, " ON CONFLICT (" + keyList(table) + ") DO NOTHING");
    }

    @SuppressWarnings("unchecked")
    private static Map<BitSet, List<Object[]>> shapesOf(PreparedRows part) {
        return part.forDialect instanceof Map<?, ?> m ? (Map<BitSet, List<Object[]>>) m : shapes(part.table, part.rows);
    }

    /**
     * Multi-row INSERTs (one statement step per few hundred rows), and only of the columns a row has:
     * rows are grouped by which columns are NULL, because binding a value through JDBC costs more
     * than SQLite's own work for it, and event rows leave half their columns empty.
     */
    private int load(Connection c, WarehouseTable table, List<Object[]> rows, String conflict) throws SQLException {
        return load(c, table, shapes(table, rows), conflict);
    }

    private int load(Connection c, WarehouseTable table, Map<BitSet, List<Object[]>> byShape, String conflict) throws SQLException {
        int changed = 0;
        for (Map.Entry<BitSet, List<Object[]>> shape : byShape.entrySet()) {
            changed += load(c, table, shape.getKey(), shape.getValue(), conflict);
        }
        return changed;
    }

    /** Rows grouped by which columns they have, each value already what its column binds (String, Long, Double, Integer). */
    private static Map<BitSet, List<Object[]>> shapes(WarehouseTable table, List<Object[]> rows) {
        Map<BitSet, List<Object[]>> byShape = new LinkedHashMap<>();
        for (Object[] row : rows) {
            BitSet present = new BitSet(table.width());
            Object[] bound = new Object[row.length];
            for (int col = 0; col < row.length; col++) {
                if (row[col] != null) {
                    present.set(col);
                    bound[col] = bindable(table, col, row[col]);
                }
            }
            byShape.computeIfAbsent(present, k -> new ArrayList<>()).add(bound);
        }
        return byShape;
    }

    private static Object bindable(WarehouseTable table, int col, Object v) {
        return switch (table.columns().get(col).type()) {
            case TEXT, JSON -> WarehouseValues.text(v);
            case BIGINT -> WarehouseValues.bigint(table, col, v);
            case DOUBLE -> WarehouseValues.dbl(table, col, v);
            case BOOLEAN -> WarehouseValues.bool(table, col, v) ? 1 : 0;
            case TIMESTAMP -> WarehouseValues.timestampText(WarehouseValues.timestamp(table, col, v));
        };
    }

    private int load(Connection c, WarehouseTable table, BitSet shape, List<Object[]> rows, String conflict) throws SQLException {
        int[] columns = shape.stream().toArray();
        int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, MAX_PARAMETERS / columns.length));
        int changed = 0;
        int i = 0;
        while (i < rows.size()) {
            // full statements, then powers of two: few statement shapes to prepare and keep
            int left = rows.size() - i;
            int n = left >= perStatement ? perStatement : Integer.highestOneBit(left);
            PreparedStatement ps = statement(c, table, shape, columns, n, conflict);
            int p = 1;
            for (int r = i; r < i + n; r++) {
                Object[] row = rows.get(r);
                for (int col : columns) {
                    bind(ps, p++, row[col]);
                }
            }
            changed += ps.executeUpdate();
            i += n;
        }
        return changed;
    }

    private PreparedStatement statement(Connection c, WarehouseTable table, BitSet shape, int[] columns, int rows, String conflict)
            throws SQLException {
        Writer w = writerOf(c);
        StatementKey key = new StatementKey(table.name(), shape, rows, conflict);
        PreparedStatement cached = w == null ? null : w.statements.get(key);
        if (cached != null) {
            return cached;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(quote(table.name())).append(" (");
        for (int k = 0; k < columns.length; k++) {
            sql.append(k == 0 ? "" : ", ").append(quote(table.columns().get(columns[k]).name()));
        }
        sql.append(") VALUES ");
        String one = "(" + "?,".repeat(columns.length - 1) + "?)";
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "" : ",").append(one);
        }
        sql.append(conflict);
        String text = sql.toString();
        if (w == null) {
            return c.prepareStatement(text); // not the writer connection (never in practice); left to the GC
        }
        if (w.statements.size() >= MAX_CACHED_STATEMENTS) {
            for (PreparedStatement old : w.statements.values()) {
                old.close();
            }
            w.statements.clear();
        }
        PreparedStatement ps = c.prepareStatement(text);
        w.statements.put(key, ps);
        return ps;
    }

    private Writer writerOf(Connection c) {
        synchronized (writers) {
            for (Writer w : writers.values()) {
                if (w.connection == c) {
                    return w;
                }
            }
        }
        return null;
    }

    /** Binds a value made by {@link #bindable}. */
    private static void bind(PreparedStatement ps, int p, Object v) throws SQLException {
        if (v instanceof String text) {
            ps.setString(p, text);
        } else if (v instanceof Long n) {
            ps.setLong(p, n);
        } else if (v instanceof Integer n) {
            ps.setInt(p, n);
        } else if (v instanceof Double d) {
            ps.setDouble(p, d);
        } else {
            ps.setNull(p, Types.NULL);
        }
    }

    @Override
    public void close() {
        synchronized (writers) {
            for (Writer w : writers.values()) {
                w.lock.lock();
                try {
                    if (w.connection != null) {
                        drop(w);
                    }
                    if (w.checkpointer != null) {
                        w.checkpointer.stop();
                    }
                } finally {
                    w.lock.unlock();
                }
            }
            writers.clear();
        }
    }
}
