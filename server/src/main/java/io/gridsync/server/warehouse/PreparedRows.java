package io.gridsync.server.warehouse;

import java.util.List;

/**
 * Rows of one table made ready for the warehouse's load by {@link Warehouse#prepare}, on the
 * caller's thread: checked, de-duplicated among themselves and, where the database gains by it,
 * converted and grouped for its fast path. A single writer then only loads them
 * ({@link WarehouseTransaction#appendPrepared}), while many request threads
 * prepare in parallel.
 */
public final class PreparedRows {

    final WarehouseTable table;
    /** The rows as given (distinct keys, first of equal keys kept). */
    final List<Object[]> rows;
    /** The dialect's own form of the rows, or null when it loads {@link #rows} as they are. */
    final Object forDialect;

    PreparedRows(WarehouseTable table, List<Object[]> rows, Object forDialect) {
        this.table = table;
        this.rows = rows;
        this.forDialect = forDialect;
    }

    public WarehouseTable table() {
        return table;
    }

    public int size() {
        return rows.size();
    }
}
