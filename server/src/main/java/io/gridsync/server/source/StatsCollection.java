package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.server.warehouse.WarehouseColumn;
import io.gridsync.server.warehouse.WarehouseTable;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.text;

/**
 * {@code stats}: the account's global email stats per UTC day ({@code GET /v3/stats?aggregated_by=day}),
 * the denominators of every deliverability rate. Incremental by date: the first run reads
 * {@link #HISTORY_DAYS} days back, later ones from {@link #LOOK_BACK_DAYS} days before the newest
 * day they have (opens and clicks of a day keep arriving after it), to today.
 */
final class StatsCollection implements MirroredCollection {

    /** The metrics of {@code /v3/stats}, each a column. */
    static final List<String> METRICS = List.of("requests", "processed", "delivered", "deferred", "bounces", "blocks",
            "bounce_drops", "invalid_emails", "opens", "unique_opens", "clicks", "unique_clicks", "spam_reports",
            "spam_report_drops", "unsubscribes", "unsubscribe_drops");
    static final int HISTORY_DAYS = 365;
    static final int LOOK_BACK_DAYS = 3;

    static final WarehouseTable TABLE = MirrorColumns.table("stats", columns(), "date");

    private static List<WarehouseColumn> columns() {
        List<WarehouseColumn> out = new ArrayList<>(List.of(text("date")));
        METRICS.forEach(m -> out.add(bigint(m)));
        return out;
    }

    @Override
    public WarehouseTable table() {
        return TABLE;
    }

    @Override
    public Set<String> scopes() {
        return Set.of("stats.global.read");
    }

    @Override
    public String syncMode() {
        return "incremental";
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        LocalDate today = ctx.runAt().atZone(ZoneOffset.UTC).toLocalDate();
        Object newest = MirrorCursor.newest(ctx, TABLE, "date");
        LocalDate start = newest == null ? today.minusDays(HISTORY_DAYS) : LocalDate.parse(newest.toString()).minusDays(LOOK_BACK_DAYS);
        RowValues v = new RowValues(TABLE);
        TableLoad load = ctx.load(TABLE);
        long data = 0;
        for (JsonNode day : ctx.get("/v3/stats", "/v3/stats?aggregated_by=day&start_date=" + start + "&end_date=" + today)) {
            Object[] row = v.row();
            v.set(row, "date", day.path("date").asText());
            data += metrics(v, row, day.path("stats").path(0).path("metrics"), METRICS) ? 1 : 0;
            load.add(row);
        }
        CollectionResult r = load.finishIncremental(); // days are never removed
        return new CollectionResult(r.rows(), 0, data);
    }

    /** Sets each metric column from {@code stats} (absent: 0); true when any is not zero (the row is data). */
    static boolean metrics(RowValues v, Object[] row, JsonNode stats, List<String> metrics) {
        boolean any = false;
        for (String m : metrics) {
            long n = stats.path(m).asLong(0);
            v.set(row, m, n);
            any |= n != 0;
        }
        return any;
    }
}
