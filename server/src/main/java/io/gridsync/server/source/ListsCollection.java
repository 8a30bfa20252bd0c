package io.gridsync.server.source;

import io.gridsync.core.sendgrid.SendGridList;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.List;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.text;

/** {@code lists}: every marketing list ({@code GET /v3/marketing/lists}, 1,000 per page). */
final class ListsCollection implements MirroredCollection {

    static final WarehouseTable TABLE = MirrorColumns.table("lists", List.of(text("id"), text("name"), bigint("contact_count")));

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        for (SendGridList l : ctx.api().allLists()) {
            Object[] row = v.row();
            v.set(row, "id", l.id());
            v.set(row, "name", l.name());
            v.set(row, "contact_count", l.contactCount());
            load.add(row);
        }
        return load.finish();
    }
}
