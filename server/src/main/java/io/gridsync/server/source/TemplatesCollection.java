package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static io.gridsync.server.warehouse.WarehouseColumn.text;
import static io.gridsync.server.warehouse.WarehouseColumn.timestamp;

/**
 * {@code templates}: every transactional template, dynamic and legacy
 * ({@code GET /v3/templates?generations=legacy,dynamic}, 200 per page).
 */
final class TemplatesCollection implements MirroredCollection {

    static final int PAGE = 200;
    static final WarehouseTable TABLE = MirrorColumns.table("templates", List.of(text("id"), text("name"), text("generation"),
            timestamp("updated_at")));

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public Set<String> scopes() {
        return Set.of("templates.read");
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        each(ctx, t -> {
            Object[] row = v.row();
            v.set(row, "id", t.path("id").asText());
            v.set(row, "name", t.path("name").asText(null));
            v.set(row, "generation", t.path("generation").asText(null));
            v.set(row, "updated_at", SendGridTimes.parse(t.path("updated_at").asText(null)));
            load.add(row);
        });
        return load.finish();
    }

    /** Every template of both generations, as listed (with its versions' short form). */
    static void each(SyncContext ctx, Consumer<JsonNode> use) {
        ctx.pages("/v3/templates", "/v3/templates?generations=legacy,dynamic&page_size=" + PAGE, "result", use);
    }
}
