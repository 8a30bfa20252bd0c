package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.List;
import java.util.Set;

import static io.gridsync.server.warehouse.WarehouseColumn.bool;
import static io.gridsync.server.warehouse.WarehouseColumn.text;
import static io.gridsync.server.warehouse.WarehouseColumn.timestamp;

/**
 * {@code template_versions}: every version of every template, dynamic and legacy, as the template
 * listing shows them (name, subject, whether active; the content stays in SendGrid: one more call
 * per version would be needed for it).
 */
final class TemplateVersionsCollection implements MirroredCollection {

    static final WarehouseTable TABLE = MirrorColumns.table("template_versions", List.of(text("id"), text("template_id"),
            text("name"), bool("active"), text("subject"), text("editor"), bool("generate_plain_content"), text("thumbnail_url"),
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
        TemplatesCollection.each(ctx, t -> {
            for (JsonNode ver : t.path("versions")) {
                Object[] row = v.row();
                v.set(row, "id", ver.path("id").asText());
                v.set(row, "template_id", ver.path("template_id").asText(t.path("id").asText()));
                v.set(row, "name", ver.path("name").asText(null));
                v.set(row, "active", ver.path("active").asInt() == 1);
                v.set(row, "subject", ver.path("subject").asText(null));
                v.set(row, "editor", ver.path("editor").asText(null));
                v.set(row, "generate_plain_content", ver.hasNonNull("generate_plain_content")
                        ? ver.get("generate_plain_content").asBoolean() : null);
                v.set(row, "thumbnail_url", ver.path("thumbnail_url").asText(null));
                v.set(row, "updated_at", SendGridTimes.parse(ver.path("updated_at").asText(null)));
                load.add(row);
            }
        });
        return load.finish();
    }
}
