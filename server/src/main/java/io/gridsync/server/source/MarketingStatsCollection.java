package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.server.warehouse.WarehouseColumn;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.ArrayList;
import java.util.List;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.text;

/**
 * {@code singlesend_stats} and {@code automation_stats}: the Marketing Campaigns totals of every
 * Single Send ({@code GET /v3/marketing/stats/singlesends}) and Automation ({@code .../automations}),
 * 50 per page, one row per Single Send and A/B phase and variation, or per Automation and step.
 */
final class MarketingStatsCollection implements MirroredCollection {

    /** SendGrid's Marketing Campaigns metrics, each a column. */
    static final List<String> METRICS = List.of("requests", "delivered", "bounces", "bounce_drops", "opens", "unique_opens",
            "clicks", "unique_clicks", "spam_reports", "spam_report_drops", "unsubscribes", "invalid_emails");
    static final int PAGE = 50;

    static final MarketingStatsCollection SINGLE_SENDS = new MarketingStatsCollection("singlesend_stats", "singlesends",
            "ab_phase", "ab_variation");
    static final MarketingStatsCollection AUTOMATIONS = new MarketingStatsCollection("automation_stats", "automations", "step_id");

    private final String path;
    private final List<String> parts;
    private final WarehouseTable table;

    private MarketingStatsCollection(String name, String kind, String... parts) {
        this.path = "/v3/marketing/stats/" + kind;
        this.parts = List.of(parts);
        List<WarehouseColumn> columns = new ArrayList<>(List.of(text("id")));
        this.parts.forEach(p -> columns.add(text(p)));
        columns.add(text("aggregation"));
        METRICS.forEach(m -> columns.add(bigint(m)));
        List<String> key = new ArrayList<>(List.of("id"));
        key.addAll(this.parts);
        this.table = MirrorColumns.table(name, columns, key.toArray(String[]::new));
    }

    @Override
    public WarehouseTable table() {
        return table;
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        RowValues v = new RowValues(table);
        TableLoad load = ctx.load(table);
        long[] data = {0};
        ctx.pages(path, path + "?page_size=" + PAGE, "results", r -> {
            Object[] row = v.row();
            v.set(row, "id", r.path("id").asText());
            parts.forEach(p -> v.set(row, p, r.path(p).asText("all")));
            v.set(row, "aggregation", r.path("aggregation").asText("total"));
            data[0] += StatsCollection.metrics(v, row, r.path("stats"), METRICS) ? 1 : 0;
            load.add(row);
        });
        CollectionResult result = load.finish();
        return new CollectionResult(result.rows(), result.deleted(), data[0]);
    }
}
