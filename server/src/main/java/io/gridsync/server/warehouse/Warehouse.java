package io.gridsync.server.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Where captured events and mirrored SendGrid objects are kept, chosen by
 * {@code GRIDSYNC_WAREHOUSE_URL}: SQLite files (default, {@code <data>/warehouse/<schema>.db}),
 * PostgreSQL ({@code jdbc:postgresql:...}) or DuckDB ({@code jdbc:duckdb:FILE}). Each source writes
 * into its own schema. Three verbs, each batched with the database's fast path:
 * {@link #ensure} a table (create it, add missing columns), {@link #appendNew} rows whose key is
 * new, {@link #upsert} rows by key; {@link #transaction} does several in one commit.
 */
public final class Warehouse implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Warehouse.class);

    private final WarehouseDialect dialect;
    /** schema.table -> the table definition last ensured, so each is checked once per process. */
    private final Map<String, WarehouseTable> ensured = new ConcurrentHashMap<>();

    Warehouse(WarehouseDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * @param url     null or blank for SQLite under {@code dataDir/warehouse}; else a JDBC URL
     * @param dataDir the hub's data directory
     */
    public static Warehouse open(String url, String user, String password, Path dataDir) {
        if (url == null || url.isBlank()) {
            return sqlite(dataDir.resolve("warehouse"));
        }
        String u = url.trim();
        if (u.startsWith("jdbc:sqlite:")) {
            // jdbc:sqlite:DIR names the directory that holds one file per schema
            return sqlite(Path.of(u.substring("jdbc:sqlite:".length())));
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new Warehouse(new PostgresWarehouse(u, user, password));
        }
        if (u.startsWith("jdbc:duckdb:") && u.length() > "jdbc:duckdb:".length()) {
            return new Warehouse(new DuckDbWarehouse(u));
        }
        throw new IllegalArgumentException("GRIDSYNC_WAREHOUSE_URL '" + u.replaceAll("(?i)password=[^&]*", "password=***")
                + "' is not supported: use jdbc:postgresql://HOST/DB, jdbc:duckdb:FILE, jdbc:sqlite:DIRECTORY, or leave it unset "
                + "for SQLite files in <data>/warehouse");
    }

    /** SQLite, one file per schema in {@code dir}. */
    public static Warehouse sqlite(Path dir) {
        return new Warehouse(new SqliteWarehouse(dir));
    }

    /** e.g. "SQLite files in /srv/gridsync-data/warehouse", for logs (never with a password). */
    public String describe() {
        return dialect.describe();
    }

    /** How many writers may load into the warehouse at once (1 on SQLite and DuckDB). */
    public int concurrentWriters() {
        return dialect.concurrentWriters();
    }

    /** Bytes the warehouse takes on disk: its SQLite or DuckDB files, or PostgreSQL's database size. */
    public long diskBytes() {
        return run("(all)", null, dialect::diskBytes);
    }

    /**
     * Creates the schema and the table when missing, and adds the columns the table lacks. True when
     * it created the table (each creation is logged at DEBUG: the caller says once what it made).
     */
    public boolean ensure(String schema, WarehouseTable table) {
        WarehouseTable.checkName(schema, "schema");
        if (isEnsured(schema, table)) {
            return false;
        }
        boolean created = run(schema, table.name(), () -> dialect.inTransaction(schema, c -> ensureOn(c, schema, table)));
        ensured.put(schema + "." + table.name(), table);
        return created;
    }

    /**
     * A view {@code view} that is the UNION ALL of {@code tables}, with every column of any of them
     * (NULL where a table lacks it), in order of first appearance. Ensures the tables first;
     * returns how many of them it created.
     */
    public int ensureUnionView(String schema, String view, List<WarehouseTable> tables) {
        WarehouseTable.checkName(view, "view");
        int created = 0;
        for (WarehouseTable t : tables) {
            created += ensure(schema, t) ? 1 : 0;
        }
        Map<String, ColumnType> all = new LinkedHashMap<>();
        tables.forEach(t -> t.columns().forEach(c -> all.putIfAbsent(c.name(), c.type())));
        List<String> selects = new ArrayList<>();
        for (WarehouseTable t : tables) {
            String cols = all.entrySet().stream().map(e -> t.indexOf(e.getKey()) >= 0 ? WarehouseDialect.quote(e.getKey())
                    : "CAST(NULL AS " + dialect.sqlType(e.getValue()) + ") AS " + WarehouseDialect.quote(e.getKey()))
                    .collect(Collectors.joining(", "));
            selects.add("SELECT " + cols + " FROM " + dialect.qualified(schema, t.name()));
        }
        replaceView(schema, view, String.join(" UNION ALL ", selects));
        return created;
    }

    /** Creates or replaces view {@code view} of {@code schema} as {@code select} (written with {@link #utcDay} and the like). */
    public void replaceView(String schema, String view, String select) {
        WarehouseTable.checkName(view, "view");
        run(schema, view, () -> dialect.inTransaction(schema, c -> {
            dialect.replaceView(c, schema, view, select);
            return null;
        }));
    }

    /** The UTC day of a TIMESTAMP expression in this warehouse's SQL: a DATE (SQLite: YYYY-MM-DD text). */
    public String utcDay(String timestamp) {
        return dialect.utcDay(timestamp);
    }

    /** A SELECT of every column of {@code from} and, as {@code as}, each text of JSON column {@code json}: one row per text. */
    public String eachJsonText(String from, String json, String as) {
        return dialect.eachJsonText(from, json, as);
    }

    /**
     * Makes rows ready for {@link WarehouseTransaction#appendPrepared} on the
     * calling thread: the checks, the de-duplication among them and the database's own grouping
     * and conversions, so the writer that commits them has only the load left.
     */
    public PreparedRows prepare(WarehouseTable table, List<Object[]> rows) {
        List<Object[]> distinct = RowKeys.distinct(table, rows, false);
        return new PreparedRows(table, distinct, dialect.prepareAppend(table, distinct));
    }

    /** Inserts the rows whose key is not in the table yet, in one transaction; returns how many were new. */
    public int appendNew(String schema, WarehouseTable table, List<Object[]> rows) {
        return transaction(schema, tx -> tx.appendNew(table, rows));
    }

    /** Inserts or updates the rows by key, in one transaction; returns how many rows were written. */
    public int upsert(String schema, WarehouseTable table, List<Object[]> rows) {
        return transaction(schema, tx -> tx.upsert(table, rows));
    }

    /** Runs {@code work} in one transaction on {@code schema}: all its loads commit together, or none. */
    public <T> T transaction(String schema, WarehouseWork<T> work) {
        WarehouseTable.checkName(schema, "schema");
        WarehouseTransaction[] tx = new WarehouseTransaction[1];
        T result = run(schema, null, () -> dialect.inTransaction(schema, c -> {
            tx[0] = new WarehouseTransaction(this, dialect, c, schema);
            return work.run(tx[0]);
        }));
        tx[0].ensuredHere.forEach(t -> ensured.put(schema + "." + t.name(), t));
        return result;
    }

    /**
     * Deletes the rows of {@code table} matching {@code where} (SQL over its columns, {@code ?} bound
     * to {@code params} as text); 0 when the schema has no such table. For erasures.
     */
    public int deleteWhere(String schema, String table, String where, List<String> params) {
        WarehouseTable.checkName(schema, "schema");
        WarehouseTable.checkName(table, "table");
        boolean exists = run(schema, table, () -> dialect.query(schema, c -> !dialect.existingColumns(c, schema, table).isEmpty()));
        if (!exists) {
            return 0;
        }
        return run(schema, table, () -> dialect.inTransaction(schema, c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("DELETE FROM " + dialect.qualified(schema, table) + " WHERE " + where)) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setString(i + 1, params.get(i));
                }
                return ps.executeUpdate();
            }
        }));
    }

    /** The column names of a table, empty when there is no such table. */
    public Set<String> columns(String schema, String table) {
        WarehouseTable.checkName(schema, "schema");
        return run(schema, table, () -> dialect.query(schema, c -> dialect.existingColumns(c, schema, table)));
    }

    /** The tables and views of a schema, by name; empty when the schema does not exist (yet). */
    public Set<String> tables(String schema) {
        WarehouseTable.checkName(schema, "schema");
        return run(schema, null, () -> dialect.query(schema, c -> dialect.existingTables(c, schema)));
    }

    /**
     * After an erasure: lets the database give up the deleted bytes (SQLite: the WAL emptied;
     * PostgreSQL: VACUUM of {@code tables}; DuckDB: CHECKPOINT). False: not finished now, retry.
     */
    public boolean releaseDeleted(String schema, List<String> tables) {
        WarehouseTable.checkName(schema, "schema");
        return run(schema, null, () -> dialect.releaseDeleted(schema, tables));
    }

    /** Runs read-only SQL; name tables with {@link #tableName}. */
    public <T> T query(String schema, SqlWork<T> work) {
        WarehouseTable.checkName(schema, "schema");
        return run(schema, null, () -> dialect.query(schema, work));
    }

    /** The table's name as SQL on {@link #query} connections writes it: {@code "sendgrid"."bounce"}, or {@code "bounce"} in SQLite. */
    public String tableName(String schema, String table) {
        return dialect.qualified(schema, table);
    }

    /** {@code at} as an SQL literal comparable with a timestamp column, for {@link #query} SQL. */
    public String timestampLiteral(java.time.Instant at) {
        return dialect.timestampLiteral(at);
    }

    boolean isEnsured(String schema, WarehouseTable table) {
        return table.equals(ensured.get(schema + "." + table.name()));
    }

    /** True when it created the table. */
    boolean ensureOn(Connection c, String schema, WarehouseTable table) throws SQLException {
        dialect.createSchema(c, schema);
        Set<String> existing = dialect.existingColumns(c, schema, table.name());
        if (existing.isEmpty()) {
            dialect.createTable(c, schema, table);
            log.debug("warehouse: created table {}.{} ({})", schema, table.name(), dialect.describe());
            return true;
        }
        for (WarehouseColumn column : table.columns()) {
            if (!existing.contains(column.name())) {
                dialect.addColumn(c, schema, table.name(), column);
                log.info("warehouse: added column {}.{}.{}", schema, table.name(), column.name());
            }
        }
        return false;
    }

    private interface Sql<T> {
        T run() throws SQLException;
    }

    private <T> T run(String schema, String table, Sql<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new WarehouseException("warehouse " + dialect.describe() + ", schema " + schema + (table == null ? "" : ", table " + table)
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            dialect.close();
        } catch (Exception e) {
            log.warn("closing the warehouse: {}", e.toString());
        }
    }
}
