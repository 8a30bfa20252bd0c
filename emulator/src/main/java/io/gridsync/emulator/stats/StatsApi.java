package io.gridsync.emulator.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.http.QueryParams;
import io.gridsync.emulator.paging.Page;
import io.gridsync.emulator.paging.PageRequest;
import io.javalin.http.Context;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Global stats ({@code GET /v3/stats}: every day from {@code start_date} to {@code end_date}, or
 * summed by week or month) and the Marketing Campaigns stats ({@code GET /v3/marketing/stats/singlesends}
 * and {@code /automations}, totals per Single Send or Automation, paged), from {@link DeliveryStats}.
 */
public final class StatsApi {

    static final int MAX_STATS_PAGE = 50;
    static final int DEFAULT_STATS_PAGE = 25;

    private final DeliveryStats stats;
    private final Supplier<List<String>> singleSendIds;

    /** @param singleSendIds the account's Single Sends, listed with zero stats until their mail is sent */
    public StatsApi(DeliveryStats stats, Supplier<List<String>> singleSendIds) {
        this.stats = stats;
        this.singleSendIds = singleSendIds;
    }

    public void register(ApiRouter router) {
        router.get("/v3/stats", "stats.global.read", this::global);
        router.get("/v3/marketing/stats/singlesends", "marketing.read", ctx -> marketing(ctx, "singlesend_ids", singleSends(), null));
        router.get("/v3/marketing/stats/singlesends/{id}", "marketing.read",
                ctx -> marketing(ctx, null, singleSends(), ctx.pathParam("id")));
        router.get("/v3/marketing/stats/automations", "marketing.read", ctx -> marketing(ctx, "automation_ids", stats.automations(), null));
        router.get("/v3/marketing/stats/automations/{id}", "marketing.read",
                ctx -> marketing(ctx, null, stats.automations(), ctx.pathParam("id")));
    }

    private void global(Context ctx) {
        LocalDate start = date(ctx, "start_date", null);
        LocalDate end = date(ctx, "end_date", LocalDate.now(ZoneOffset.UTC));
        if (end.isBefore(start)) {
            throw ApiError.badRequest("end_date", "end_date must not be before start_date");
        }
        String by = ctx.queryParam("aggregated_by");
        if (by != null && !Set.of("day", "week", "month").contains(by)) {
            throw ApiError.badRequest("aggregated_by", "aggregated_by must be day, week or month");
        }
        Map<LocalDate, Map<String, Long>> buckets = new LinkedHashMap<>();
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            LocalDate bucket = "week".equals(by) ? d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                    : "month".equals(by) ? d.withDayOfMonth(1) : d;
            Map<String, Long> sum = buckets.computeIfAbsent(bucket.isBefore(start) ? start : bucket, b -> new TreeMap<>());
            stats.day(d).forEach((m, n) -> sum.merge(m, n, Long::sum));
        }
        List<Map.Entry<LocalDate, Map<String, Long>>> all = new ArrayList<>(buckets.entrySet());
        int offset = (int) Math.min(all.size(), orElse(QueryParams.integer(ctx, "offset", 0), 0));
        int limit = (int) Math.min(Integer.MAX_VALUE, orElse(QueryParams.integer(ctx, "limit", 1), Integer.MAX_VALUE));
        ArrayNode body = Json.array();
        for (Map.Entry<LocalDate, Map<String, Long>> b : all.subList(offset, Math.min(all.size(), offset + limit))) {
            ObjectNode day = body.addObject();
            day.put("date", b.getKey().toString());
            day.putArray("stats").addObject().set("metrics", Json.MAPPER.valueToTree(b.getValue()));
        }
        Json.write(ctx, 200, body);
    }

    private Map<String, Map<String, Long>> singleSends() {
        Map<String, Map<String, Long>> all = new TreeMap<>(stats.singleSends());
        for (String id : singleSendIds.get()) {
            all.putIfAbsent(id, DeliveryStats.filled(null, DeliveryStats.MARKETING));
        }
        return all;
    }

    private void marketing(Context ctx, String idsParam, Map<String, Map<String, Long>> byId, String one) {
        Set<String> wanted = null;
        if (one != null) {
            wanted = Set.of(one);
        } else if (idsParam != null && ctx.queryParam(idsParam) != null && !ctx.queryParam(idsParam).isEmpty()) {
            wanted = new HashSet<>(Arrays.asList(ctx.queryParam(idsParam).split(",")));
        }
        List<Map.Entry<String, Map<String, Long>>> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> e : byId.entrySet()) {
            if (wanted == null || wanted.contains(e.getKey())) {
                rows.add(e);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        Page<Integer> page = Page.of(order, i -> i, PageRequest.parse(ctx, DEFAULT_STATS_PAGE, MAX_STATS_PAGE, false));
        boolean automation = "automation_ids".equals(idsParam) || ctx.path().contains("/automations/");
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        for (int i : page.items()) {
            ObjectNode r = results.addObject();
            r.put("id", rows.get(i).getKey());
            if (automation) {
                r.put("step_id", "all");
            } else {
                r.put("ab_variation", "all");
                r.put("ab_phase", "all");
            }
            r.put("aggregation", "total");
            r.set("stats", Json.MAPPER.valueToTree(rows.get(i).getValue()));
        }
        body.set("_metadata", page.metadata(ctx));
        Json.write(ctx, 200, body);
    }

    private static LocalDate date(Context ctx, String name, LocalDate absent) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            if (absent == null) {
                throw ApiError.badRequest(name, name + " is required, as YYYY-MM-DD");
            }
            return absent;
        }
        try {
            return LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name, name + " must be a date as YYYY-MM-DD, not '" + raw + "'");
        }
    }

    private static long orElse(Long v, long absent) {
        return v == null ? absent : v;
    }
}
