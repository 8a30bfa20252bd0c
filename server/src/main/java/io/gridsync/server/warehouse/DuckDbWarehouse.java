package io.gridsync.server.warehouse;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The warehouse in DuckDB ({@code jdbc:duckdb:FILE}): each schema a DuckDB schema in the one file,
 * timestamps TIMESTAMPTZ, JSON the JSON type. Loads go through DuckDB's Appender into a temporary
 * table (no per-row SQL at all), then one INSERT ... SELECT ... ON CONFLICT into the target.
 * DuckDB allows one writing process; inside it writes are serialised here and reads use their own
 * connections.
 */
final class DuckDbWarehouse extends SchemaWarehouseDialect {

    private final DuckDBConnection root;
    private final String where;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong loads = new AtomicLong();
    private Connection writer;

    DuckDbWarehouse(String jdbcUrl) {
        try {
            this.root = (DuckDBConnection) DriverManager.getConnection(jdbcUrl);
        } catch (SQLException e) {
            throw new WarehouseException("cannot open DuckDB warehouse " + jdbcUrl + ": " + e.getMessage(), e);
        }
        this.where = "DuckDB " + jdbcUrl.substring("jdbc:duckdb:".length());
    }

    @Override
    String describe() {
        return where;
    }

    /** The database file and its WAL. */
    @Override
    long diskBytes() {
        String file = where.substring("DuckDB ".length());
        int query = file.indexOf('?');
        java.nio.file.Path path = java.nio.file.Path.of(query >= 0 ? file.substring(0, query) : file);
        long bytes = 0;
        for (java.nio.file.Path p : java.util.List.of(path, java.nio.file.Path.of(path + ".wal"))) {
            try {
                bytes += java.nio.file.Files.exists(p) ? java.nio.file.Files.size(p) : 0;
            } catch (java.io.IOException e) {
                // gone meanwhile
            }
        }
        return bytes;
    }

    @Override
    <T> T inTransaction(String schema, SqlWork<T> work) throws SQLException {
        writeLock.lock();
        try {
            if (writer == null) {
                writer = root.duplicate();
            }
            Connection c = writer;
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // a failed DuckDB transaction may already be aborted
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** CHECKPOINT writes the deletions into the database file and empties DuckDB's WAL. */
    @Override
    boolean releaseDeleted(String schema, List<String> tables) throws SQLException {
        writeLock.lock();
        try (Connection c = root.duplicate(); java.sql.Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    <T> T query(String schema, SqlWork<T> work) throws SQLException {
        try (Connection c = root.duplicate()) {
            return work.run(c);
        }
    }

    @Override
    String sqlType(ColumnType type) {
        return switch (type) {
            case TEXT -> "VARCHAR";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case JSON -> "JSON";
        };
    }

    @Override
    String utcDay(String timestamp) {
        return "CAST(timezone('UTC', " + timestamp + ") AS DATE)"; // a session's zone is the machine's
    }

    @Override
    String eachJsonText(String from, String json, String as) {
        String col = "t." + quote(json);
        return "SELECT t.*, unnest(CASE WHEN json_type(" + col + ") = 'ARRAY' THEN json_extract_string(" + col + ", '$[*]') ELSE ["
                + "json_extract_string(" + col + ", '$')] END) AS " + quote(as) + " FROM " + from + " t WHERE " + col + " IS NOT NULL";
    }

    @Override
    void replaceView(Connection c, String schema, String view, String select) throws SQLException {
        execute(c, "CREATE OR REPLACE VIEW " + qualified(schema, view) + " AS " + select);
    }

    @Override
    int appendNew(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException {
        return load(c, schema, table, rows, " ON CONFLICT DO NOTHING");
    }

    @Override
    int upsert(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException {
        return load(c, schema, table, rows, " ON CONFLICT (" + keyList(table) + ") DO UPDATE SET " + updateFromExcluded(table));
    }

    private int load(Connection c, String schema, WarehouseTable table, List<Object[]> rows, String conflict) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        String temp = "gs_load_" + loads.incrementAndGet();
        String columns = columnList(table);
        StringBuilder def = new StringBuilder("CREATE TEMP TABLE " + temp + " (");
        for (int i = 0; i < table.width(); i++) {
            WarehouseColumn col = table.columns().get(i);
            // JSON travels as VARCHAR through the appender and is cast on the way into the target
            def.append(i == 0 ? "" : ", ").append(quote(col.name())).append(' ')
                    .append(col.type() == ColumnType.JSON ? "VARCHAR" : sqlType(col.type()));
        }
        execute(c, def.append(")").toString());
        try {
            try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", temp)) {
                for (Object[] row : rows) {
                    appender.beginRow();
                    for (int col = 0; col < table.width(); col++) {
                        append(appender, table, col, row[col]);
                    }
                    appender.endRow();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified(schema, table.name()) + " (" + columns
                    + ") SELECT " + columns + " FROM temp.main." + temp + conflict)) {
                return ps.executeUpdate();
            }
        } finally {
            execute(c, "DROP TABLE IF EXISTS temp.main." + temp);
        }
    }

    private static void append(DuckDBAppender a, WarehouseTable table, int col, Object v) throws SQLException {
        if (v == null) {
            a.appendNull();
            return;
        }
        switch (table.columns().get(col).type()) {
            case TEXT, JSON -> a.append(WarehouseValues.text(v));
            case BIGINT -> a.append(WarehouseValues.bigint(table, col, v));
            case DOUBLE -> a.append(WarehouseValues.dbl(table, col, v));
            case BOOLEAN -> a.append(WarehouseValues.bool(table, col, v));
            case TIMESTAMP -> a.append(WarehouseValues.timestamp(table, col, v).atOffset(ZoneOffset.UTC));
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (writer != null) {
                writer.close();
                writer = null;
            }
            root.close();
        } catch (SQLException ignored) {
            // closing; nothing left to save
        } finally {
            writeLock.unlock();
        }
    }
}
