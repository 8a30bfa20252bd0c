package io.gridsync.server.retention;

import io.gridsync.server.warehouse.Warehouse;
import io.gridsync.server.webhook.EventTables;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Removes webhook quarantine rows (bodies and items that were not events, kept in each source's
 * warehouse schema as {@code _quarantine}) older than the history retention. Captured events
 * themselves are the warehouse's data and are not retention's to remove.
 */
final class QuarantinePurge implements Purge {

    private final Warehouse warehouse;
    private final Supplier<List<String>> schemas;
    private final Duration retention;

    /** @param schemas the warehouse schemas of the webhook sources there are now */
    QuarantinePurge(Warehouse warehouse, Supplier<List<String>> schemas, Duration retention) {
        this.warehouse = warehouse;
        this.schemas = schemas;
        this.retention = retention;
    }

    @Override
    public Removed removeChunk(long now, int limit) {
        Instant cutoff = Instant.ofEpochMilli(now - retention.toMillis());
        long removed = 0;
        boolean more = false;
        for (String schema : schemas.get()) {
            int n = warehouse.transaction(schema, tx -> tx.deleteOlderThan(EventTables.QUARANTINE, "received_at", cutoff, limit));
            removed += n;
            more |= n == limit;
        }
        return Removed.of("_quarantine", removed, more);
    }
}
