package io.gridsync.emulator.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.state.Persistable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What happened to the mail the emulator "sent", counted from its events the way SendGrid's stats
 * count them: per UTC day for {@code /v3/stats}, and in total per Single Send ({@code singlesend_id})
 * and per Automation ({@code mc_auto_id}) for the Marketing Campaigns stats. A message opened
 * (clicked) twice counts once in {@code unique_opens} ({@code unique_clicks}).
 */
public final class DeliveryStats implements Persistable {

    /** The metrics of {@code /v3/stats} ({@code StatsAdvancedGlobalStats}). */
    public static final List<String> GLOBAL = List.of("blocks", "bounce_drops", "bounces", "clicks", "deferred", "delivered",
            "invalid_emails", "opens", "processed", "requests", "spam_report_drops", "spam_reports", "unique_clicks", "unique_opens",
            "unsubscribe_drops", "unsubscribes");
    /** The metrics of the Marketing Campaigns stats ({@code Metrics}). */
    public static final List<String> MARKETING = List.of("bounce_drops", "bounces", "clicks", "delivered", "invalid_emails", "opens",
            "requests", "spam_report_drops", "spam_reports", "unique_clicks", "unique_opens", "unsubscribes");

    private final Map<LocalDate, Map<String, Long>> days = new TreeMap<>();
    private final Map<String, Map<String, Long>> singleSends = new TreeMap<>();
    private final Map<String, Map<String, Long>> automations = new TreeMap<>();
    private final Set<String> opened = new HashSet<>();
    private final Set<String> clicked = new HashSet<>();

    public synchronized void record(List<ObjectNode> events) {
        for (ObjectNode e : events) {
            List<String> metrics = metricsOf(e);
            if (metrics.isEmpty()) {
                continue;
            }
            LocalDate day = Instant.ofEpochSecond(e.path("timestamp").asLong()).atZone(ZoneOffset.UTC).toLocalDate();
            count(days.computeIfAbsent(day, d -> new TreeMap<>()), metrics);
            if (e.hasNonNull("singlesend_id")) {
                count(singleSends.computeIfAbsent(e.get("singlesend_id").asText(), k -> new TreeMap<>()), metrics);
            }
            if (e.hasNonNull("mc_auto_id")) {
                count(automations.computeIfAbsent(e.get("mc_auto_id").asText(), k -> new TreeMap<>()), metrics);
            }
        }
    }

    private List<String> metricsOf(ObjectNode e) {
        String message = e.path("sg_message_id").asText();
        return switch (e.path("event").asText()) {
            case "processed" -> List.of("processed", "requests");
            case "dropped" -> switch (e.path("reason").asText()) {
                case "Bounced Address" -> List.of("requests", "bounce_drops");
                case "Spam Reporting Address" -> List.of("requests", "spam_report_drops");
                case "Unsubscribed Address" -> List.of("requests", "unsubscribe_drops");
                case "Invalid" -> List.of("requests", "invalid_emails");
                default -> List.of("requests");
            };
            case "delivered" -> List.of("delivered");
            case "deferred" -> List.of("deferred");
            case "bounce" -> List.of("blocked".equals(e.path("type").asText()) ? "blocks" : "bounces");
            case "open" -> opened.add(message) ? List.of("opens", "unique_opens") : List.of("opens");
            case "click" -> clicked.add(message) ? List.of("clicks", "unique_clicks") : List.of("clicks");
            case "spamreport" -> List.of("spam_reports");
            case "unsubscribe", "group_unsubscribe" -> List.of("unsubscribes");
            default -> List.of();
        };
    }

    private static void count(Map<String, Long> into, List<String> metrics) {
        metrics.forEach(m -> into.merge(m, 1L, Long::sum));
    }

    /** The counts of one day; every metric of {@link #GLOBAL}, zero when nothing happened. */
    public synchronized Map<String, Long> day(LocalDate day) {
        return filled(days.get(day), GLOBAL);
    }

    /** Single Send id -> its totals (every metric of {@link #MARKETING}). */
    public synchronized Map<String, Map<String, Long>> singleSends() {
        return filledAll(singleSends);
    }

    public synchronized Map<String, Map<String, Long>> automations() {
        return filledAll(automations);
    }

    private static Map<String, Map<String, Long>> filledAll(Map<String, Map<String, Long>> by) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        by.forEach((id, counts) -> out.put(id, filled(counts, MARKETING)));
        return out;
    }

    static Map<String, Long> filled(Map<String, Long> counts, List<String> metrics) {
        Map<String, Long> out = new TreeMap<>();
        for (String m : metrics) {
            out.put(m, counts == null ? 0L : counts.getOrDefault(m, 0L));
        }
        return out;
    }

    @Override
    public String stateKey() {
        return "delivery_stats";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode root = Json.object();
        ObjectNode d = root.putObject("days");
        days.forEach((day, counts) -> d.set(day.toString(), Json.MAPPER.valueToTree(counts)));
        root.set("singlesends", Json.MAPPER.valueToTree(singleSends));
        root.set("automations", Json.MAPPER.valueToTree(automations));
        return root;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        clearState();
        node.path("days").fields().forEachRemaining(f -> days.put(LocalDate.parse(f.getKey()), counts(f.getValue())));
        node.path("singlesends").fields().forEachRemaining(f -> singleSends.put(f.getKey(), counts(f.getValue())));
        node.path("automations").fields().forEachRemaining(f -> automations.put(f.getKey(), counts(f.getValue())));
    }

    private static Map<String, Long> counts(JsonNode n) {
        Map<String, Long> out = new TreeMap<>();
        n.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asLong()));
        return out;
    }

    @Override
    public synchronized void clearState() {
        days.clear();
        singleSends.clear();
        automations.clear();
        opened.clear();
        clicked.clear();
    }
}
