package io.gridsync.server.source;

import io.gridsync.core.sendgrid.SingleSendEmailConfig;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.List;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.bool;
import static io.gridsync.server.warehouse.WarehouseColumn.json;
import static io.gridsync.server.warehouse.WarehouseColumn.text;
import static io.gridsync.server.warehouse.WarehouseColumn.timestamp;

/**
 * {@code campaigns}: every Single Send. The pages of {@code GET /v3/marketing/singlesends} give the
 * short form; each one is then read in full ({@code GET .../singlesends/{id}}) for its audience
 * ({@code send_to_*}) and content ({@code email_config}, one column per member). One deleted
 * between the two calls is left out.
 */
final class CampaignsCollection implements MirroredCollection {

    static final WarehouseTable TABLE = MirrorColumns.table("campaigns", List.of(text("id"), text("name"), text("status"),
            json("categories"), timestamp("send_at"), json("send_to_list_ids"), json("send_to_segment_ids"), bool("send_to_all"),
            bool("is_abtest"), json("abtest"), text("subject"), text("html_content"), text("plain_content"),
            bool("generate_plain_content"), text("design_id"), text("editor"), bigint("suppression_group_id"),
            text("custom_unsubscribe_url"), bigint("sender_id"), text("ip_pool"), json("warnings"), timestamp("created_at"),
            timestamp("updated_at")));

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        MirroredCollection.eachInFull(ctx.api().allSingleSends(), listed -> ctx.api().singleSend(listed.id()), (listed, s) -> {
            Object[] row = v.row();
            v.set(row, "id", s.id());
            v.set(row, "name", s.name());
            v.set(row, "status", s.status());
            v.set(row, "categories", RowValues.jsonArray(s.categories()));
            v.set(row, "send_at", SendGridTimes.parse(s.sendAt()));
            v.set(row, "send_to_list_ids", RowValues.jsonArray(s.sendToListIds()));
            v.set(row, "send_to_segment_ids", RowValues.jsonArray(s.sendToSegmentIds()));
            v.set(row, "send_to_all", s.sendToAll());
            // the full form has no A/B summary; the listing does
            v.set(row, "is_abtest", s.isAbtest() != null ? s.isAbtest() : listed.isAbtest());
            v.set(row, "abtest", RowValues.json(s.abtest() != null ? s.abtest() : listed.abtest()));
            SingleSendEmailConfig c = s.emailConfig();
            if (c != null) {
                v.set(row, "subject", c.subject());
                v.set(row, "html_content", c.htmlContent());
                v.set(row, "plain_content", c.plainContent());
                v.set(row, "generate_plain_content", c.generatePlainContent());
                v.set(row, "design_id", c.designId());
                v.set(row, "editor", c.editor());
                v.set(row, "suppression_group_id", c.suppressionGroupId());
                v.set(row, "custom_unsubscribe_url", c.customUnsubscribeUrl());
                v.set(row, "sender_id", c.senderId());
                v.set(row, "ip_pool", c.ipPool());
            }
            v.set(row, "warnings", RowValues.json(s.warnings()));
            v.set(row, "created_at", SendGridTimes.parse(s.createdAt()));
            v.set(row, "updated_at", SendGridTimes.parse(s.updatedAt()));
            load.add(row);
        });
        return load.finish();
    }
}
