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
import java.util.HashMap;
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

    private final Path dir;
    private final Map<String, Writer> writers = new HashMap<>();

    private static final class Writer {
        final ReentrantLock lock = new ReentrantLock();
        Connection connection;
        /** Prepared multi-row statements by SQL text, kept for the connection's life. */
        final Map<String, PreparedStatement> statements = new HashMap<>();
    }

    SqliteWarehouse(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the warehouse directory " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    String describe() {
        return "SQLite files in " + dir.toAbsolutePath();
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
        if (readOnly) {
            p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        }
        return DriverManager.getConnection("jdbc:sqlite:" + file(schema).toAbsolutePath(), p);
    }

    @Override
    <T> T inTransaction(String schema, SqlWork<T> work) throws SQLException {
        Writer w;
        synchronized (writers) {
            w = writers.computeIfAbsent(schema, s -> new Writer());
        }
        w.lock.lock();
        try {
            if (w.connection == null) {
                w.connection = open(schema, false);
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

    private static void drop(Writer w) {
        w.statements.clear();
        try {
            w.connection.close();
        } catch (SQLException ignored) {
            // it is gone either way
        }
        w.connection = null;
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
    int appendNew(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException {
        return load(c, table, rows, " ON CONFLICT (" + keyList(table) + ") DO NOTHING");
    }

    @Override
    int upsert(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException {
        return load(c, table, rows, " ON CONFLICT (" + keyList(table) + ") DO UPDATE SET " + updateFromExcluded(table));
    }

    /** Multi-row INSERTs: one statement step per few hundred rows instead of one per row. */
    private int load(Connection c, WarehouseTable table, List<Object[]> rows, String conflict) throws SQLException {
        int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, MAX_PARAMETERS / table.width()));
        int changed = 0;
        int i = 0;
        while (i < rows.size()) {
            // full statements, then powers of two: few statement shapes to prepare and keep
            int left = rows.size() - i;
            int n = left >= perStatement ? perStatement : Integer.highestOneBit(left);
            PreparedStatement ps = statement(c, table, n, conflict);
            int p = 1;
            for (int r = i; r < i + n; r++) {
                Object[] row = rows.get(r);
                for (int col = 0; col < table.width(); col++) {
                    bind(ps, p++, table, col, row[col]);
                }
            }
            changed += ps.executeUpdate();
            i += n;
        }
        return changed;
    }

    private PreparedStatement statement(Connection c, WarehouseTable table, int rows, String conflict) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(quote(table.name())).append(" (").append(columnList(table))
                .append(") VALUES ");
        String one = "(" + "?,".repeat(table.width() - 1) + "?)";
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "" : ",").append(one);
        }
        sql.append(conflict);
        String text = sql.toString();
        Writer w = writerOf(c);
        if (w == null) {
            return c.prepareStatement(text); // not the writer connection (never in practice); left to the GC
        }
        PreparedStatement ps = w.statements.get(text);
        if (ps == null) {
            ps = c.prepareStatement(text);
            w.statements.put(text, ps);
        }
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

    private static void bind(PreparedStatement ps, int p, WarehouseTable table, int col, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(p, Types.NULL);
            return;
        }
        switch (table.columns().get(col).type()) {
            case TEXT, JSON -> ps.setString(p, WarehouseValues.text(v));
            case BIGINT -> ps.setLong(p, WarehouseValues.bigint(table, col, v));
            case DOUBLE -> ps.setDouble(p, WarehouseValues.dbl(table, col, v));
            case BOOLEAN -> ps.setInt(p, WarehouseValues.bool(table, col, v) ? 1 : 0);
            case TIMESTAMP -> ps.setString(p, WarehouseValues.timestampText(WarehouseValues.timestamp(table, col, v)));
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
                } finally {
                    w.lock.unlock();
                }
            }
            writers.clear();
        }
    }
}
