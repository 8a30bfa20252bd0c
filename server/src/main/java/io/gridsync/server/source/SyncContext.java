package io.gridsync.server.source;

import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.server.warehouse.Warehouse;

import java.time.Duration;
import java.time.Instant;

/**
 * What a collection's sync works with: the source's SendGrid API, the warehouse schema it writes,
 * and the run's time, stamped as {@code _synced_at} on every row the run writes.
 *
 * @param chunkRows     rows per warehouse transaction
 * @param exportTimeout how long a contact export may take to be ready
 */
record SyncContext(SendGridApi api, Warehouse warehouse, String schema, Instant runAt, int chunkRows, Duration exportTimeout) {

    TableLoad load(io.gridsync.server.warehouse.WarehouseTable table) {
        return new TableLoad(warehouse, schema, table, runAt, chunkRows);
    }
}
