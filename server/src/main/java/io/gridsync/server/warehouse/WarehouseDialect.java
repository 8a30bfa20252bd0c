package io.gridsync.server.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one database holds the warehouse: where a schema lives, how connections and transactions
 * are had, the SQL types, and each database's fast path for loading rows. The DDL that all three
 * share is here; the loads are each dialect's own.
 */
abstract class WarehouseDialect implements AutoCloseable {

    /** For logs and errors: the kind of database and where, never a password. */
    abstract String describe();

    /** Bytes the warehouse takes on disk (files, or the database's size), for /metrics. */
    abstract long diskBytes() throws SQLException;

    /** Runs {@code work} in one transaction on a connection that can write to {@code schema}. */
    abstract <T> T inTransaction(String schema, SqlWork<T> work) throws SQLException;

    /** Runs read-only {@code work} on a connection that sees {@code schema}. */
    abstract <T> T query(String schema, SqlWork<T> work) throws SQLException;

    /** The SQL name of a table as queries on {@link #query} connections write it. */
    abstract String qualified(String schema, String table);

    abstract String sqlType(ColumnType type);

    /** Creates the schema when the database has schemas (SQLite's schema is its file). */
    abstract void createSchema(Connection c, String schema) throws SQLException;

    /** The table's columns, empty when there is no such table. */
    abstract Set<String> existingColumns(Connection c, String schema, String table) throws SQLException;

    /** The tables and views of a schema, by name. */
    abstract Set<String> existingTables(Connection c, String schema) throws SQLException;

    /** Inserts the rows whose key is not in the table yet; returns how many were inserted. */
    abstract int appendNew(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException;

    /**
     * How many capture writers may load at once. One where the database has a single writer
     * (SQLite, DuckDB); PostgreSQL overrides it.
     */
    int concurrentWriters() {
        return 1;
    }

    /** The dialect's own form of rows for {@link #appendPrepared}, made on the caller's thread; null: the rows as they are. */
    Object prepareAppend(WarehouseTable table, List<Object[]> rows) {
        return null;
    }

    /**
     * {@link #appendNew} of prepared parts; by default their rows together (each part is distinct
     * already; several are made distinct across parts).
     */
    int appendPrepared(Connection c, String schema, WarehouseTable table, List<PreparedRows> parts) throws SQLException {
        if (parts.size() == 1) {
            return appendNew(c, schema, table, parts.get(0).rows);
        }
        List<Object[]> all = new java.util.ArrayList<>();
        parts.forEach(p -> all.addAll(p.rows));
        return appendNew(c, schema, table, RowKeys.distinct(table, all, false));
    }

    /**
     * After an erasure deleted rows of {@code tables}: makes the database let go of the deleted
     * bytes where it can (SQLite: the WAL emptied; PostgreSQL: VACUUM; DuckDB: CHECKPOINT).
     * Returns false when it could not finish now (a reader held an old snapshot): the caller retries.
     */
    boolean releaseDeleted(String schema, List<String> tables) throws SQLException {
        return true;
    }

    /** Inserts or updates the rows by key (keys are distinct in {@code rows}); returns how many. */
    abstract int upsert(Connection c, String schema, WarehouseTable table, List<Object[]> rows) throws SQLException;

    void createTable(Connection c, String schema, WarehouseTable table) throws SQLException {
        String columns = table.columns().stream().map(col -> quote(col.name()) + " " + sqlType(col.type())
                + (table.isKey(table.indexOf(col.name())) ? " NOT NULL" : "")).collect(Collectors.joining(", "));
        String key = table.key().stream().map(WarehouseDialect::quote).collect(Collectors.joining(", "));
        execute(c, "CREATE TABLE IF NOT EXISTS " + qualified(schema, table.name()) + " (" + columns + ", PRIMARY KEY (" + key + "))");
    }

    void addColumn(Connection c, String schema, String table, WarehouseColumn column) throws SQLException {
        execute(c, "ALTER TABLE " + qualified(schema, table) + " ADD COLUMN " + quote(column.name()) + " " + sqlType(column.type()));
    }

    /** Replaces view {@code view} with {@code select}. */
    void replaceView(Connection c, String schema, String view, String select) throws SQLException {
        execute(c, "DROP VIEW IF EXISTS " + qualified(schema, view));
        execute(c, "CREATE VIEW " + qualified(schema, view) + " AS " + select);
    }

    /** The UTC calendar day of a TIMESTAMP expression, as a DATE (SQLite: {@code YYYY-MM-DD} text). */
    String utcDay(String timestamp) {
        return "CAST((" + timestamp + " AT TIME ZONE 'UTC') AS DATE)";
    }

    /**
     * Every column of {@code from} and, as {@code as}, each text of JSON column {@code json} (an array's
     * elements, or the one value): one row per text; rows whose column is NULL are left out.
     */
    String eachJsonText(String from, String json, String as) {
        return "SELECT t.*, jsonb_array_elements_text(CASE WHEN jsonb_typeof(t." + quote(json) + ") = 'array' THEN t." + quote(json)
                + " ELSE jsonb_build_array(t." + quote(json) + ") END) AS " + quote(as) + " FROM " + from + " t WHERE t." + quote(json)
                + " IS NOT NULL";
    }

    /** {@code at} as an SQL literal of a TIMESTAMP column (PostgreSQL and DuckDB; SQLite overrides). */
    String timestampLiteral(java.time.Instant at) {
        return "CAST('" + WarehouseValues.timestampText(at) + "' AS TIMESTAMPTZ)";
    }

    static String quote(String identifier) {
        return "\"" + identifier + "\"";
    }

    static String columnList(WarehouseTable table) {
        return table.columns().stream().map(col -> quote(col.name())).collect(Collectors.joining(", "));
    }

    static String keyList(WarehouseTable table) {
        return table.key().stream().map(WarehouseDialect::quote).collect(Collectors.joining(", "));
    }

    /** {@code "a" = EXCLUDED."a", ...} over the value columns; the key itself when there are none. */
    static String updateFromExcluded(WarehouseTable table) {
        List<WarehouseColumn> values = table.valueColumns();
        List<WarehouseColumn> set = values.isEmpty() ? List.of(table.columns().get(table.keyIndexes()[0])) : values;
        return set.stream().map(col -> quote(col.name()) + " = EXCLUDED." + quote(col.name())).collect(Collectors.joining(", "));
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
