package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.server.warehouse.Warehouse;
import io.gridsync.server.warehouse.WarehouseTable;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * What a collection's sync works with: the source's SendGrid API, the warehouse schema it writes,
 * and the run's time, stamped as {@code _synced_at} on every row the run writes.
 *
 * @param chunkRows     rows per warehouse transaction
 * @param exportTimeout how long a contact export may take to be ready
 * @param contacts      the run's one contact export, shared by the collections that read contacts
 */
record SyncContext(SendGridApi api, Warehouse warehouse, String schema, Instant runAt, int chunkRows, Duration exportTimeout,
                   RunContactExport contacts) {

    SyncContext(SendGridApi api, Warehouse warehouse, String schema, Instant runAt, int chunkRows, Duration exportTimeout) {
        this(api, warehouse, schema, runAt, chunkRows, exportTimeout, new RunContactExport());
    }

    TableLoad load(WarehouseTable table) {
        return new TableLoad(warehouse, schema, table, runAt, chunkRows);
    }

    /**
     * Every item of a paged listing: {@code GET firstPath}, then each {@code _metadata.next} until a
     * page without one (or an empty page), handing the members of each page's {@code itemsField} to {@code use}.
     */
    void pages(String template, String firstPath, String itemsField, Consumer<JsonNode> use) {
        String path = firstPath;
        while (path != null) {
            JsonNode page = get(template, path);
            page.path(itemsField).forEach(use);
            String next = page.path("_metadata").path("next").asText(null);
            path = page.path(itemsField).isEmpty() || next == null || next.isEmpty() ? null : SendGridApi.pathOf(next);
        }
    }

    /** {@code GET path} (with its query), counted and rate-limited as {@code template}; the JSON answer. */
    JsonNode get(String template, String path) {
        return api.client().send("GET", template, path, (byte[]) null, true).body();
    }
}
