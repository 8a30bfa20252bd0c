package io.gridsync.server.source;

import io.gridsync.core.sendgrid.FieldDefinition;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.List;

import static io.gridsync.server.warehouse.WarehouseColumn.bool;
import static io.gridsync.server.warehouse.WarehouseColumn.text;

/**
 * {@code field_definitions}: custom and reserved contact fields ({@code GET /v3/marketing/field_definitions}).
 * Reserved fields exist in every account, so only custom fields count as data for "zero data synced".
 */
final class FieldDefinitionsCollection implements MirroredCollection {

    static final WarehouseTable TABLE = MirrorColumns.table("field_definitions", List.of(text("id"), text("name"),
            text("field_type"), bool("reserved"), bool("read_only")));

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        long custom = 0;
        for (FieldDefinition f : ctx.api().allFieldDefinitions()) {
            Object[] row = v.row();
            v.set(row, "id", f.id());
            v.set(row, "name", f.name());
            v.set(row, "field_type", f.fieldType());
            v.set(row, "reserved", f.reserved());
            v.set(row, "read_only", Boolean.TRUE.equals(f.readOnly())); // SendGrid sends it only when true
            load.add(row);
            custom += f.reserved() ? 0 : 1;
        }
        CollectionResult r = load.finish();
        return new CollectionResult(r.rows(), r.deleted(), custom);
    }
}
