package io.gridsync.server.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads inside one {@link Warehouse#transaction} on one schema. Tables are ensured on first use;
 * the warehouse remembers them as ensured only once the transaction has committed.
 */
public final class WarehouseTransaction {

    private final Warehouse warehouse;
    private final WarehouseDialect dialect;
    private final Connection connection;
    private final String schema;
    final List<WarehouseTable> ensuredHere = new ArrayList<>();

    WarehouseTransaction(Warehouse warehouse, WarehouseDialect dialect, Connection connection, String schema) {
        this.warehouse = warehouse;
        this.dialect = dialect;
        this.connection = connection;
        this.schema = schema;
    }

    public String schema() {
        return schema;
    }

    /** Inserts the rows whose key the table does not hold yet (the first of equal keys in {@code rows}); returns how many. */
    public int appendNew(WarehouseTable table, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        ensure(table);
        return dialect.appendNew(connection, schema, table, RowKeys.distinct(table, rows, false));
    }

    /**
     * Inserts the rows of {@code parts} (each from {@link Warehouse#prepare}) whose key the table does
     * not hold yet; returns how many. Of equal keys in different parts one is kept (SendGrid's
     * duplicates are the same event), not necessarily the first.
     */
    public int appendPrepared(WarehouseTable table, List<PreparedRows> parts) throws SQLException {
        if (parts.isEmpty()) {
            return 0;
        }
        for (PreparedRows p : parts) {
            if (!p.table.equals(table)) {
                throw new IllegalArgumentException("rows prepared for table " + p.table.name() + " cannot load into " + table.name());
            }
        }
        ensure(table);
        return dialect.appendPrepared(connection, schema, table, parts);
    }

    /** Inserts the rows, or updates the row with the same key (the last of equal keys in {@code rows} wins); returns how many. */
    public int upsert(WarehouseTable table, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        ensure(table);
        return dialect.upsert(connection, schema, table, RowKeys.distinct(table, rows, true));
    }

    /**
     * After a full load that stamped TIMESTAMP column {@code seen} with {@code at} on every row it
     * saw: sets TIMESTAMP column {@code mark} to {@code at} on the rows whose {@code seen} is older
     * and whose {@code mark} is still NULL (the rows the source no longer has); returns how many.
     */
    public int markUnseen(WarehouseTable table, String seen, String mark, java.time.Instant at) throws SQLException {
        for (String column : List.of(seen, mark)) {
            int i = table.indexOf(column);
            if (i < 0 || table.columns().get(i).type() != ColumnType.TIMESTAMP) {
                throw new IllegalArgumentException("markUnseen needs TIMESTAMP column " + column + " in table " + table.name());
            }
        }
        ensure(table);
        String literal = dialect.timestampLiteral(at);
        try (java.sql.Statement s = connection.createStatement()) {
            return s.executeUpdate("UPDATE " + dialect.qualified(schema, table.name()) + " SET " + WarehouseDialect.quote(mark)
                    + " = " + literal + " WHERE " + WarehouseDialect.quote(seen) + " < " + literal + " AND "
                    + WarehouseDialect.quote(mark) + " IS NULL");
        }
    }

    /**
     * Deletes up to {@code limit} rows whose TIMESTAMP column {@code column} is before {@code before}
     * (retention: a chunk per transaction); returns how many.
     */
    public int deleteOlderThan(WarehouseTable table, String column, java.time.Instant before, int limit) throws SQLException {
        int i = table.indexOf(column);
        if (i < 0 || table.columns().get(i).type() != ColumnType.TIMESTAMP || table.key().size() != 1) {
            throw new IllegalArgumentException("deleteOlderThan needs TIMESTAMP column " + column + " and a one-column key in table "
                    + table.name());
        }
        ensure(table);
        String name = dialect.qualified(schema, table.name());
        String key = WarehouseDialect.quote(table.key().get(0));
        try (java.sql.Statement s = connection.createStatement()) {
            return s.executeUpdate("DELETE FROM " + name + " WHERE " + key + " IN (SELECT " + key + " FROM " + name + " WHERE "
                    + WarehouseDialect.quote(column) + " < " + dialect.timestampLiteral(before) + " LIMIT " + limit + ")");
        }
    }

    /** The connection of this transaction, for SQL of the caller's own (it must not commit). */
    public Connection connection() {
        return connection;
    }

    void ensure(WarehouseTable table) throws SQLException {
        if (!warehouse.isEnsured(schema, table) && !ensuredHere.contains(table)) {
            warehouse.ensureOn(connection, schema, table);
            ensuredHere.add(table);
        }
    }
}
