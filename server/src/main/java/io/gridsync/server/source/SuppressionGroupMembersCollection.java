package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.sendgrid.SendGridException;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.List;
import java.util.Set;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.text;

/**
 * {@code suppression_group_members}: the addresses unsubscribed from each group
 * ({@code GET /v3/asm/groups/{group_id}/suppressions}, one call per group), one row per group and
 * address. A group deleted between the listing and its read is left out.
 */
final class SuppressionGroupMembersCollection implements MirroredCollection {

    static final WarehouseTable TABLE = MirrorColumns.table("suppression_group_members", List.of(bigint("group_id"),
            text("email")), "group_id", "email");

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public Set<String> scopes() {
        return Set.of("asm.groups.read", "asm.groups.suppressions.read");
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        for (JsonNode g : SuppressionGroupsCollection.groups(ctx)) {
            long id = g.path("id").asLong();
            JsonNode members;
            try {
                members = ctx.get("/v3/asm/groups/{group_id}/suppressions", "/v3/asm/groups/" + id + "/suppressions");
            } catch (SendGridException e) {
                if (e.status() == 404) {
                    continue;
                }
                throw e;
            }
            for (JsonNode email : members) {
                Object[] row = v.row();
                v.set(row, "group_id", id);
                v.set(row, "email", email.asText());
                load.add(row);
            }
        }
        return load.finish();
    }
}
