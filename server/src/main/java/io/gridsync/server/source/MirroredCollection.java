package io.gridsync.server.source;

import io.gridsync.core.sendgrid.SendGridException;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * One kind of SendGrid object the mirror keeps in a warehouse table, upserted by id, so the table
 * shows SendGrid's latest state; objects SendGrid no longer has keep their last row with
 * {@code _deleted_at} set.
 */
interface MirroredCollection {

    WarehouseTable table();

    /** The table's name, also the collection's name in a run's row counts. */
    default String name() {
        return table().name();
    }

    /** Scopes the API key needs for this collection. */
    default Set<String> scopes() {
        return Set.of("marketing.read");
    }

    /**
     * {@code full}: every run reads every object and marks those gone deleted; {@code incremental}:
     * a run reads what is new since the last (see the collection for how deletions show).
     */
    default String syncMode() {
        return "full";
    }

    /** Pulls every object and loads it; a failure leaves the rows loaded so far and marks nothing deleted. */
    CollectionResult sync(SyncContext ctx);

    /**
     * For listings that lack fields only the single-object read has (segments, Single Sends): reads
     * each listed object in full and hands both forms to {@code use}. An object deleted between
     * the listing and its read (404) is left out: it is gone.
     */
    static <T> void eachInFull(Iterable<T> listed, UnaryOperator<T> read, BiConsumer<T, T> use) {
        for (T summary : listed) {
            T full;
            try {
                full = read.apply(summary);
            } catch (SendGridException e) {
                if (e.status() == 404) {
                    continue;
                }
                throw e;
            }
            use.accept(summary, full);
        }
    }
}
