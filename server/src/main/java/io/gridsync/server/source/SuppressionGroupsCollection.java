package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.List;
import java.util.Set;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.bool;
import static io.gridsync.server.warehouse.WarehouseColumn.text;

/** {@code suppression_groups}: every unsubscribe group ({@code GET /v3/asm/groups}, one answer), with its count of unsubscribes. */
final class SuppressionGroupsCollection implements MirroredCollection {

    static final WarehouseTable TABLE = MirrorColumns.table("suppression_groups", List.of(bigint("id"), text("name"),
            text("description"), bool("is_default"), bigint("unsubscribes")));

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public Set<String> scopes() {
        return Set.of("asm.groups.read");
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        for (JsonNode g : groups(ctx)) {
            Object[] row = v.row();
            v.set(row, "id", g.path("id").asLong());
            v.set(row, "name", g.path("name").asText(null));
            v.set(row, "description", g.path("description").asText(null));
            v.set(row, "is_default", g.path("is_default").asBoolean(false));
            v.set(row, "unsubscribes", g.hasNonNull("unsubscribes") ? g.get("unsubscribes").asLong() : null);
            load.add(row);
        }
        return load.finish();
    }

    static JsonNode groups(SyncContext ctx) {
        return ctx.get("/v3/asm/groups", "/v3/asm/groups");
    }
}
