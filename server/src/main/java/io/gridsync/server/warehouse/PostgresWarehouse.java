package io.gridsync.server.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gridsync.server.store.PostgresCopy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warehouse in PostgreSQL: each schema a PostgreSQL schema, timestamps TIMESTAMPTZ, JSON JSONB.
 * Large loads COPY into a temporary table and then INSERT ... SELECT ... ON CONFLICT into the
 * target, one round trip for the data; loads of fewer than {@link #COPY_THRESHOLD} rows are one
 * INSERT ... SELECT FROM unnest(arrays) ... ON CONFLICT.
 */
final class PostgresWarehouse extends SchemaWarehouseDialect {

    /**
     * Below this many rows one INSERT beats COPY, whose temporary table costs catalog work
     * every time (measured: a webhook group of ~120 rows per table loads faster by INSERT, a mirror
     * page of thousands by COPY).
     */
    static final int COPY_THRESHOLD = 500;

    private final HikariDataSource pool;
    private final String where;
    private final AtomicLong loads = new AtomicLong();

    PostgresWarehouse(String jdbcUrl, String user, String password) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        if (user != null) {
            cfg.setUsername(user);
        }
        if (password != null) {
            cfg.setPassword(password);
        }
        cfg.setPoolName("gridsync-warehouse");
        cfg.setMaximumPoolSize(6);
        this.pool = new HikariDataSource(cfg);
        this.where = "PostgreSQL " + jdbcUrl.replaceAll("(?i)password=[^&]*", "password=***");
    }

    /**
     * Two loads at once: while one waits for PostgreSQL (a round trip, a commit), the other's rows
     * go in. Rows already present are skipped by ON CONFLICT, so a duplicate in two loads at once
     * is still stored once.
     */
    @Override
    int concurrentWriters() {
        return 2;
    }

    @Override
    String describe() {
        return where;
    }

    @Override
    long diskBytes() throws SQLException {
        try (Connection c = pool.getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    <T> T inTransaction(String schema, SqlWork<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** VACUUM (outside a transaction) removes the dead tuples of the deleted rows from the tables' pages. */
    @Override
    boolean releaseDeleted(String schema, List<String> tables) throws SQLException {
        try (Connection c = pool.getConnection(); java.sql.Statement st = c.createStatement()) {
            for (String t : tables) {
                st.execute("VACUUM " + qualified(schema, t));
            }
        }
        return true;
    }

    @Override
    <T> T query(String schema, SqlWork<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        }
    }

    @Override
    String sqlType(ColumnType type) {
        return switch (type) {
            case TEXT -> "TEXT";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case JSON -> "JSONB";
        };
    }

    /**
     * DDL takes turns, among this node's connections and the cluster's nodes: {@code IF NOT EXISTS}
     * does not hold against a second session creating the same schema or table at the same moment
     * (it fails on the catalog's unique index), nor does {@code CREATE OR REPLACE VIEW} ("tuple
     * concurrently updated"). Two capture writers, the mirror and the admin API all prepare schemas.
     */
    private static final long DDL_TURN = 0x6772_6964_6464_6cL; // "gridddl"

    private static void takeDdlTurn(Connection c) throws SQLException {
        execute(c, "SELECT pg_advisory_xact_lock(" + DDL_TURN + ")");
    }

    @Override
    void createSchema(Connection c, String schema) throws SQLException {
        takeDdlTurn(c);
        super.createSchema(c, schema);
    }

    @Override
    void replaceView(Connection c, String schema, String view, String select) throws SQLException {
        takeDdlTurn(c);
        // CREATE OR REPLACE keeps views users built on ours; it fails only when columns moved
        execute(c, "SAVEPOINT gs_view");
        try {
            execute(c, "CREATE OR REPLACE VIEW " + qualified(schema, view) + " AS " + select);
            execute(c, "RELEASE SAVEPOINT gs_view");
        } catch (SQLException e) {
            execute(c, "ROLLBACK TO SAVEPOINT gs_view");
            super.replaceView(c, schema, view, select);
        }
    }

    @Override
    int appendNew(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException {
        return load(c, schema, table, rows, " ON CONFLICT (" + keyList(table) + ") DO NOTHING");
    }

    @Override
    int upsert(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException {
        return load(c, schema, table, rows, " ON CONFLICT (" + keyList(table) + ") DO UPDATE SET " + updateFromExcluded(table));
    }

    private int load(Connection c, String schema, WarehouseTable table, List<Object[]> rows, String conflict) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        if (rows.size() < COPY_THRESHOLD) {
            return insert(c, schema, table, rows, conflict);
        }
        String temp = "gs_load_" + loads.incrementAndGet();
        String columns = columnList(table);
        execute(c, "CREATE TEMP TABLE " + temp + " (LIKE " + qualified(schema, table.name()) + ") ON COMMIT DROP");
        copy(c, temp, table, rows);
        int changed;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified(schema, table.name()) + " (" + columns + ") SELECT "
                + columns + " FROM " + temp + conflict)) {
            changed = ps.executeUpdate();
        }
        execute(c, "DROP TABLE " + temp);
        return changed;
    }

    /**
     * One INSERT ... SELECT over an array per column: its text depends only on the table, so the
     * server parses and plans it once per connection (multi-row VALUES of a different size each
     * time were planned anew, with a parameter per value).
     */
    private int insert(Connection c, String schema, WarehouseTable table, List<Object[]> rows, String conflict) throws SQLException {
        StringBuilder select = new StringBuilder();
        StringBuilder arrays = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int col = 0; col < table.width(); col++) {
            String sep = col == 0 ? "" : ", ";
            ColumnType type = table.columns().get(col).type();
            select.append(sep).append('c').append(col).append(switch (type) {
                case JSON -> "::jsonb";
                case TIMESTAMP -> "::timestamptz";
                default -> "";
            });
            arrays.append(sep).append("?::").append(arrayType(type)).append("[]");
            names.append(sep).append('c').append(col);
        }
        String sql = "INSERT INTO " + qualified(schema, table.name()) + " (" + columnList(table) + ") SELECT " + select
                + " FROM unnest(" + arrays + ") AS u(" + names + ")" + conflict;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int col = 0; col < table.width(); col++) {
                ColumnType type = table.columns().get(col).type();
                Object[] values = switch (type) {
                    case BIGINT -> new Long[rows.size()];
                    case DOUBLE -> new Double[rows.size()];
                    case BOOLEAN -> new Boolean[rows.size()];
                    default -> new String[rows.size()];
                };
                for (int r = 0; r < values.length; r++) {
                    Object v = rows.get(r)[col];
                    values[r] = v == null ? null : switch (type) {
                        case TEXT, JSON -> clean(WarehouseValues.text(v));
                        case BIGINT -> WarehouseValues.bigint(table, col, v);
                        case DOUBLE -> WarehouseValues.dbl(table, col, v);
                        case BOOLEAN -> WarehouseValues.bool(table, col, v);
                        case TIMESTAMP -> WarehouseValues.timestampText(WarehouseValues.timestamp(table, col, v));
                    };
                }
                ps.setArray(col + 1, c.createArrayOf(arrayType(type), values));
            }
            return ps.executeUpdate();
        }
    }

    private static String arrayType(ColumnType type) {
        return switch (type) {
            case BIGINT -> "int8";
            case DOUBLE -> "float8";
            case BOOLEAN -> "bool";
            default -> "text";
        };
    }

    /** COPY ... FROM STDIN in text format into the load's temporary table. */
    private static void copy(Connection c, String temp, WarehouseTable table, List<Object[]> rows) throws SQLException {
        try (PostgresCopy copy = PostgresCopy.start(c, "COPY " + temp + " (" + columnList(table) + ") FROM STDIN")) {
            for (Object[] row : rows) {
                for (int col = 0; col < table.width(); col++) {
                    Object v = row[col];
                    if (v == null) {
                        copy.plain(null);
                        continue;
                    }
                    switch (table.columns().get(col).type()) {
                        case TEXT, JSON -> copy.text(WarehouseValues.text(v));
                        case BIGINT -> copy.number(WarehouseValues.bigint(table, col, v));
                        case DOUBLE -> copy.plain(WarehouseValues.dbl(table, col, v));
                        case BOOLEAN -> copy.plain(WarehouseValues.bool(table, col, v) ? "t" : "f");
                        case TIMESTAMP -> copy.plain(WarehouseValues.timestampText(WarehouseValues.timestamp(table, col, v)));
                    }
                }
                copy.endRow();
            }
            copy.finish();
        }
    }

    private static String clean(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    @Override
    public void close() {
        pool.close();
    }
}
