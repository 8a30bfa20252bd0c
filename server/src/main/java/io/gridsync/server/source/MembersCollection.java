package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.sendgrid.ExportStatus;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.List;
import java.util.Set;

import static io.gridsync.server.warehouse.WarehouseColumn.text;

/**
 * {@code list_members} and {@code segment_members}: which contacts are on which list or in which
 * segment, one row per pair, from the {@code list_ids} / {@code segment_ids} of every contact in the
 * run's contact export (the one {@code recipients} reads; no second export).
 */
final class MembersCollection implements MirroredCollection {

    static final MembersCollection LISTS = new MembersCollection("list_members", "list_id", "list_ids");
    static final MembersCollection SEGMENTS = new MembersCollection("segment_members", "segment_id", "segment_ids");

    private final String idColumn;
    private final String contactField;
    private final WarehouseTable table;

    private MembersCollection(String name, String idColumn, String contactField) {
        this.idColumn = idColumn;
        this.contactField = contactField;
        this.table = MirrorColumns.table(name, List.of(text(idColumn), text("contact_id"), text("email")), idColumn, "contact_id");
    }

    @Override
    public WarehouseTable table() {
        return table;
    }

    @Override
    public Set<String> scopes() {
        return Set.of(SourceSync.READ, SourceSync.WRITE); // the export is started with a POST
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        ExportStatus export = ctx.contacts().ready(ctx);
        RowValues v = new RowValues(table);
        TableLoad load = ctx.load(table);
        ctx.api().readExportRecords(export, contact -> {
            String id = contact.path("contact_id").asText(contact.path("id").asText(null));
            if (id == null) {
                return;
            }
            for (JsonNode of : contact.path(contactField)) {
                Object[] row = v.row();
                v.set(row, idColumn, of.asText());
                v.set(row, "contact_id", id);
                v.set(row, "email", contact.path("email").asText(null));
                load.add(row);
            }
        });
        return load.finish();
    }
}
