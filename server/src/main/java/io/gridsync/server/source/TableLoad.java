package io.gridsync.server.source;

import io.gridsync.server.warehouse.Warehouse;
import io.gridsync.server.warehouse.WarehouseTable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A full load of one mirrored table: rows are upserted in chunks (one transaction each, so a
 * million contacts never sit in memory and other writers of the schema, such as webhook capture,
 * wait at most one chunk), each stamped with the run's time; {@link #finish} then marks the rows
 * the load did not see as deleted. A load that fails before {@link #finish} marks nothing.
 */
final class TableLoad {

    private final Warehouse warehouse;
    private final String schema;
    private final WarehouseTable table;
    private final Instant runAt;
    private final int chunkRows;
    private final int syncedAt;
    private final int deletedAt;
    private final List<Object[]> pending;
    private long rows;

    TableLoad(Warehouse warehouse, String schema, WarehouseTable table, Instant runAt, int chunkRows) {
        this.warehouse = warehouse;
        this.schema = schema;
        this.table = table;
        this.runAt = runAt;
        this.chunkRows = chunkRows;
        this.syncedAt = table.indexOf(MirrorColumns.SYNCED_AT);
        this.deletedAt = table.indexOf(MirrorColumns.DELETED_AT);
        this.pending = new ArrayList<>(chunkRows);
    }

    /** Queues one row (from {@code table.row()}); a full chunk is written at once. */
    void add(Object[] row) {
        row[syncedAt] = runAt;
        row[deletedAt] = null; // an object seen again is not deleted
        pending.add(row);
        rows++;
        if (pending.size() >= chunkRows) {
            flush();
        }
    }

    /** Writes what is queued, marks every row this load did not see as deleted; returns the result. */
    CollectionResult finish() {
        flush();
        int deleted = warehouse.transaction(schema, tx -> tx.markUnseen(table, MirrorColumns.SYNCED_AT, MirrorColumns.DELETED_AT, runAt));
        return new CollectionResult(rows, deleted, rows);
    }

    /**
     * Writes what is queued and marks nothing deleted: the end of an incremental load, which saw
     * only what changed since the last run.
     */
    CollectionResult finishIncremental() {
        flush();
        return new CollectionResult(rows, 0, rows);
    }

    private void flush() {
        if (Thread.currentThread().isInterrupted()) {
            // the hub is stopping: a million-row load must not keep it waiting (nothing is marked deleted)
            throw new MirrorException("interrupted after " + (rows - pending.size()) + " rows");
        }
        if (!pending.isEmpty()) {
            warehouse.upsert(schema, table, pending);
            pending.clear();
        }
    }
}
