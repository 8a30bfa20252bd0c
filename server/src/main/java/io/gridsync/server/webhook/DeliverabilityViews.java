package io.gridsync.server.webhook;

import io.gridsync.server.warehouse.Warehouse;

import java.util.List;

/**
 * The deliverability views of a source's schema (docs/warehouse.md), over the captured events of
 * {@code activity}: per UTC day, and per day and template, category and Single Send, how many
 * messages were processed, delivered, bounced and blocked, how many were opened and clicked (each
 * message once), reported as spam and unsubscribed from, and the rates. The counts are those of
 * SendGrid's own stats ({@code GET /v3/stats}, mirrored as {@code stats}) for the same events:
 * bounces without the blocks, unsubscribes global and from a group.
 */
final class DeliverabilityViews {

    static final String DAILY = "deliverability_daily";
    static final String BY_TEMPLATE = "deliverability_by_template";
    static final String BY_CATEGORY = "deliverability_by_category";
    static final String BY_SINGLE_SEND = "deliverability_by_singlesend";

    private DeliverabilityViews() {}

    static void ensure(Warehouse w, String schema) {
        String activity = w.tableName(schema, EventTables.ACTIVITY);
        w.replaceView(schema, DAILY, select(w, activity, List.of()));
        w.replaceView(schema, BY_TEMPLATE, select(w, activity, List.of("COALESCE(sg_template_id, template_id) AS template_id")));
        w.replaceView(schema, BY_CATEGORY, select(w, "(" + w.eachJsonText(activity, "category", "category_name") + ") e",
                List.of("category_name AS category")));
        w.replaceView(schema, BY_SINGLE_SEND, select(w, activity, List.of("singlesend_id")));
    }

    private static String select(Warehouse w, String from, List<String> dimensions) {
        StringBuilder inner = new StringBuilder("SELECT ").append(w.utcDay("\"timestamp\"")).append(" AS day");
        dimensions.forEach(d -> inner.append(", ").append(d));
        inner.append(", COUNT(CASE WHEN event = 'processed' THEN 1 END) AS processed")
                .append(", COUNT(CASE WHEN event = 'delivered' THEN 1 END) AS delivered")
                .append(", COUNT(CASE WHEN event = 'bounce' AND COALESCE(\"type\", '') <> 'blocked' THEN 1 END) AS bounced")
                .append(", COUNT(CASE WHEN event = 'bounce' AND \"type\" = 'blocked' THEN 1 END) AS blocked")
                .append(", COUNT(DISTINCT CASE WHEN event = 'open' THEN sg_message_id END) AS unique_opens")
                .append(", COUNT(DISTINCT CASE WHEN event = 'click' THEN sg_message_id END) AS unique_clicks")
                .append(", COUNT(CASE WHEN event = 'spamreport' THEN 1 END) AS spam_reports")
                .append(", COUNT(CASE WHEN event IN ('unsubscribe', 'group_unsubscribe') THEN 1 END) AS unsubscribes")
                .append(" FROM ").append(from).append(" GROUP BY 1");
        for (int i = 0; i < dimensions.size(); i++) {
            inner.append(", ").append(i + 2);
        }
        StringBuilder outer = new StringBuilder("SELECT day");
        dimensions.forEach(d -> outer.append(", ").append(d.substring(d.lastIndexOf(' ') + 1)));
        outer.append(", processed, delivered, bounced, blocked, unique_opens, unique_clicks, spam_reports, unsubscribes")
                .append(", ").append(rate("delivered", "processed")).append(" AS delivery_rate")
                .append(", ").append(rate("bounced", "processed")).append(" AS bounce_rate")
                .append(", ").append(rate("unique_opens", "delivered")).append(" AS open_rate")
                .append(", ").append(rate("unique_clicks", "delivered")).append(" AS click_rate")
                .append(", ").append(rate("spam_reports", "delivered")).append(" AS spam_report_rate")
                .append(", ").append(rate("unsubscribes", "delivered")).append(" AS unsubscribe_rate")
                .append(" FROM (").append(inner).append(") counts");
        return outer.toString();
    }

    private static String rate(String part, String of) {
        return "CASE WHEN " + of + " > 0 THEN 1.0 * " + part + " / " + of + " END";
    }
}
