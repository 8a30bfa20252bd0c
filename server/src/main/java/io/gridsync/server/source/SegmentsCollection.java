package io.gridsync.server.source;

import io.gridsync.server.warehouse.WarehouseTable;

import java.util.List;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.json;
import static io.gridsync.server.warehouse.WarehouseColumn.text;
import static io.gridsync.server.warehouse.WarehouseColumn.timestamp;

/**
 * {@code segments}: every Segmentation v2 segment. The listing ({@code GET /v3/marketing/segments/2.0})
 * lacks the query, so each segment is also read on its own ({@code GET .../segments/2.0/{id}});
 * accounts hold at most a few hundred. A segment deleted between the two calls is left out.
 */
final class SegmentsCollection implements MirroredCollection {

    static final WarehouseTable TABLE = MirrorColumns.table("segments", List.of(text("id"), text("name"), text("query_dsl"),
            bigint("contacts_count"), json("parent_list_ids"), text("query_version"), text("status_query_validation"),
            text("status_error_message"), timestamp("created_at"), timestamp("updated_at"), timestamp("sample_updated_at"),
            timestamp("next_sample_update"), timestamp("last_refreshed_at"), bigint("refreshes_used"), bigint("max_refreshes"),
            json("contacts_sample")));

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        MirroredCollection.eachInFull(ctx.api().segments(), listed -> ctx.api().segment(listed.id()), (listed, s) -> {
            Object[] row = v.row();
            v.set(row, "id", s.id());
            v.set(row, "name", s.name());
            v.set(row, "query_dsl", s.queryDsl());
            v.set(row, "contacts_count", s.contactsCount());
            v.set(row, "parent_list_ids", RowValues.jsonArray(s.parentListIds()));
            v.set(row, "query_version", s.queryVersion());
            v.set(row, "status_query_validation", s.queryValidation());
            v.set(row, "status_error_message", s.validationError());
            v.set(row, "created_at", SendGridTimes.parse(s.createdAt()));
            v.set(row, "updated_at", SendGridTimes.parse(s.updatedAt()));
            v.set(row, "sample_updated_at", SendGridTimes.parse(s.sampleUpdatedAt()));
            v.set(row, "next_sample_update", SendGridTimes.parse(s.nextSampleUpdate()));
            v.set(row, "last_refreshed_at", SendGridTimes.parse(s.lastRefreshedAt()));
            v.set(row, "refreshes_used", s.refreshesUsed() == null ? null : s.refreshesUsed().longValue());
            v.set(row, "max_refreshes", s.maxRefreshes() == null ? null : s.maxRefreshes().longValue());
            v.set(row, "contacts_sample", RowValues.json(s.contactsSample()));
            load.add(row);
        });
        return load.finish();
    }
}
