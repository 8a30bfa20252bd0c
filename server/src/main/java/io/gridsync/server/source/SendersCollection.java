package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.server.warehouse.WarehouseTable;

import java.time.Instant;
import java.util.List;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.bool;
import static io.gridsync.server.warehouse.WarehouseColumn.text;
import static io.gridsync.server.warehouse.WarehouseColumn.timestamp;

/** {@code senders}: the Marketing Campaigns senders Single Sends go out from ({@code GET /v3/marketing/senders}, one answer). */
final class SendersCollection implements MirroredCollection {

    static final List<String> TEXTS = List.of("nickname", "address", "address_2", "city", "state", "zip", "country");
    static final WarehouseTable TABLE = MirrorColumns.table("senders", List.of(bigint("id"), text("nickname"), text("from_email"),
            text("from_name"), text("reply_to_email"), text("reply_to_name"), text("address"), text("address_2"), text("city"),
            text("state"), text("zip"), text("country"), bool("verified"), bool("locked"), timestamp("created_at"),
            timestamp("updated_at")));

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        for (JsonNode s : ctx.get("/v3/marketing/senders", "/v3/marketing/senders").path("results")) {
            Object[] row = v.row();
            v.set(row, "id", s.path("id").asLong());
            TEXTS.forEach(f -> v.set(row, f, s.path(f).asText(null)));
            v.set(row, "from_email", s.path("from").path("email").asText(null));
            v.set(row, "from_name", s.path("from").path("name").asText(null));
            v.set(row, "reply_to_email", s.path("reply_to").path("email").asText(null));
            v.set(row, "reply_to_name", s.path("reply_to").path("name").asText(null));
            v.set(row, "verified", s.hasNonNull("verified") ? s.get("verified").asBoolean() : null);
            v.set(row, "locked", s.hasNonNull("locked") ? s.get("locked").asBoolean() : null);
            v.set(row, "created_at", s.hasNonNull("created_at") ? Instant.ofEpochSecond(s.get("created_at").asLong()) : null);
            v.set(row, "updated_at", s.hasNonNull("updated_at") ? Instant.ofEpochSecond(s.get("updated_at").asLong()) : null);
            load.add(row);
        }
        return load.finish();
    }
}
