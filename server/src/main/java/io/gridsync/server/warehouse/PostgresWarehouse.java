package io.gridsync.server.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warehouse in PostgreSQL: each schema a PostgreSQL schema, timestamps TIMESTAMPTZ, JSON JSONB.
 * Large loads COPY into a temporary table and then INSERT ... SELECT ... ON CONFLICT into the
 * target, one round trip for the data; loads of fewer than {@link #COPY_THRESHOLD} rows are one
 * multi-row INSERT ... ON CONFLICT.
 */
final class PostgresWarehouse extends SchemaWarehouseDialect {

    /**
     * Below this many rows one multi-row INSERT beats COPY, whose temporary table costs catalog work
     * every time (measured: a webhook group of ~120 rows per table loads faster by INSERT, a mirror
     * page of thousands by COPY).
     */
    static final int COPY_THRESHOLD = 500;
    /** PostgreSQL allows 65,535 parameters per statement. */
    private static final int MAX_INSERT_PARAMETERS = 30_000;
    private static final int COPY_CHUNK_BYTES = 1 << 20;

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

    @Override
    void replaceView(Connection c, String schema, String view, String select) throws SQLException {
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
        if (rows.size() < COPY_THRESHOLD && rows.size() * table.width() <= MAX_INSERT_PARAMETERS) {
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

    private int insert(Connection c, String schema, WarehouseTable table, List<Object[]> rows, String conflict) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(qualified(schema, table.name())).append(" (")
                .append(columnList(table)).append(") VALUES ");
        StringBuilder one = new StringBuilder("(");
        for (int i = 0; i < table.width(); i++) {
            ColumnType type = table.columns().get(i).type();
            one.append(i == 0 ? "" : ",").append(type == ColumnType.JSON ? "CAST(? AS JSONB)"
                    : type == ColumnType.TIMESTAMP ? "CAST(? AS TIMESTAMPTZ)" : "?");
        }
        one.append(")");
        for (int r = 0; r < rows.size(); r++) {
            sql.append(r == 0 ? "" : ",").append(one);
        }
        sql.append(conflict);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Object[] row : rows) {
                for (int col = 0; col < table.width(); col++) {
                    bind(ps, p++, table, col, row[col]);
                }
            }
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, int p, WarehouseTable table, int col, Object v) throws SQLException {
        ColumnType type = table.columns().get(col).type();
        if (v == null) {
            ps.setNull(p, switch (type) {
                case BIGINT -> Types.BIGINT;
                case DOUBLE -> Types.DOUBLE;
                case BOOLEAN -> Types.BOOLEAN;
                default -> Types.VARCHAR;
            });
            return;
        }
        switch (type) {
            case TEXT, JSON -> ps.setString(p, clean(WarehouseValues.text(v)));
            case BIGINT -> ps.setLong(p, WarehouseValues.bigint(table, col, v));
            case DOUBLE -> ps.setDouble(p, WarehouseValues.dbl(table, col, v));
            case BOOLEAN -> ps.setBoolean(p, WarehouseValues.bool(table, col, v));
            case TIMESTAMP -> ps.setString(p, WarehouseValues.timestampText(WarehouseValues.timestamp(table, col, v)));
        }
    }

    /** COPY ... FROM STDIN in text format, streamed in chunks of about a megabyte. */
    private static void copy(Connection c, String temp, WarehouseTable table, List<Object[]> rows) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + temp + " (" + columnList(table) + ") FROM STDIN");
        try {
            StringBuilder sb = new StringBuilder(COPY_CHUNK_BYTES + 4096);
            for (Object[] row : rows) {
                for (int col = 0; col < table.width(); col++) {
                    if (col > 0) {
                        sb.append('\t');
                    }
                    Object v = row[col];
                    if (v == null) {
                        sb.append("\\N");
                        continue;
                    }
                    switch (table.columns().get(col).type()) {
                        case TEXT, JSON -> escape(sb, WarehouseValues.text(v));
                        case BIGINT -> sb.append(WarehouseValues.bigint(table, col, v));
                        case DOUBLE -> sb.append(WarehouseValues.dbl(table, col, v));
                        case BOOLEAN -> sb.append(WarehouseValues.bool(table, col, v) ? 't' : 'f');
                        case TIMESTAMP -> sb.append(WarehouseValues.timestampText(WarehouseValues.timestamp(table, col, v)));
                    }
                }
                sb.append('\n');
                if (sb.length() >= COPY_CHUNK_BYTES) {
                    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
                    in.writeToCopy(bytes, 0, bytes.length);
                    sb.setLength(0);
                }
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** COPY text format: backslash, tab, newline and carriage return escaped; NUL (refused by PostgreSQL) replaced. */
    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\0' -> sb.append('\uFFFD');
                default -> sb.append(ch);
            }
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
