package io.gridsync.server.source;

import io.gridsync.server.warehouse.WarehouseTable;

import java.util.Set;

/**
 * One kind of SendGrid object the mirror keeps in a warehouse table, upserted by id, so the table
 * shows SendGrid's latest state; objects SendGrid no longer has keep their last row with
 * {@code _deleted_at} set.
 */
interface MirroredCollection {

    /** The table's name, also the collection's name in a run's row counts. */
    String name();

    WarehouseTable table();

    /** Scopes the API key needs for this collection. */
    default Set<String> scopes() {
        return Set.of("marketing.read");
    }

    /** Pulls every object and loads it; a failure leaves the rows loaded so far and marks nothing deleted. */
    CollectionResult sync(SyncContext ctx);
}
