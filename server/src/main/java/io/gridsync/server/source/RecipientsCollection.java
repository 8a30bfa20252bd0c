package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.sendgrid.ExportStatus;
import io.gridsync.server.warehouse.WarehouseColumn;
import io.gridsync.server.warehouse.WarehouseTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.gridsync.server.warehouse.WarehouseColumn.json;
import static io.gridsync.server.warehouse.WarehouseColumn.text;
import static io.gridsync.server.warehouse.WarehouseColumn.timestamp;

/**
 * {@code recipients}: every contact, through the export API: one export of all contacts (no
 * list filter) as gzip JSON files, read line by line and upserted in chunks, so no more than one
 * chunk of contacts is ever in memory. Custom fields stay one JSON object per contact
 * ({@code custom_fields}, keyed by field name, numbers as numbers), as SendGrid shows them.
 */
final class RecipientsCollection implements MirroredCollection {

    private static final Logger log = LoggerFactory.getLogger(RecipientsCollection.class);

    /** Reserved text fields of a contact, each a column of the same name. */
    static final List<String> TEXT_FIELDS = List.of("email", "phone_number_id", "external_id", "anonymous_id", "first_name",
            "last_name", "unique_name", "address_line_1", "address_line_2", "city", "state_province_region", "postal_code",
            "country", "phone_number", "whatsapp", "line", "facebook");
    static final List<String> JSON_FIELDS = List.of("alternate_emails", "list_ids", "segment_ids", "custom_fields");

    static final WarehouseTable TABLE = MirrorColumns.table("recipients", columns());

    private static List<WarehouseColumn> columns() {
        List<WarehouseColumn> out = new ArrayList<>();
        out.add(text("id"));
        TEXT_FIELDS.forEach(f -> out.add(text(f)));
        JSON_FIELDS.forEach(f -> out.add(json(f)));
        out.add(timestamp("created_at"));
        out.add(timestamp("updated_at"));
        return out;
    }

    @Override
    public Set<String> scopes() {
        return Set.of(SourceSync.READ, SourceSync.WRITE); // the export is started with a POST
    }

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        ExportStatus export = ctx.contacts().ready(ctx);
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        long[] skipped = {0};
        ctx.api().readExportRecords(export, contact -> {
            Object[] row = row(v, contact);
            if (row == null) {
                skipped[0]++;
            } else {
                load.add(row);
            }
        });
        if (skipped[0] > 0) {
            log.warn("contact export {}: {} rows without a contact id were left out", export.id(), skipped[0]);
        }
        return load.finish();
    }

    private static Object[] row(RowValues v, ObjectNode c) {
        String id = textOf(c.get("contact_id"));
        if (id == null) {
            id = textOf(c.get("id"));
        }
        if (id == null) {
            return null;
        }
        Object[] row = v.row();
        v.set(row, "id", id);
        for (String f : TEXT_FIELDS) {
            v.set(row, f, textOf(c.get(f)));
        }
        for (String f : JSON_FIELDS) {
            v.set(row, f, RowValues.json(c.get(f)));
        }
        v.set(row, "created_at", SendGridTimes.parse(textOf(c.get("created_at"))));
        v.set(row, "updated_at", SendGridTimes.parse(textOf(c.get("updated_at"))));
        return row;
    }

    private static String textOf(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
