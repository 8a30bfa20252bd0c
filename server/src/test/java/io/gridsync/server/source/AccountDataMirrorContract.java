package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.EmulatorHttp;
import io.gridsync.server.testing.HubCalls;
import io.gridsync.server.testing.MirrorAccount;
import io.gridsync.server.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything else SendGrid knows about an account, mirrored on each warehouse (subclasses): mail
 * sent through the hub (and some straight through Mail Send, for an unsubscribe group, a Single
 * Send and an Automation) into the emulator, whose event generator bounces, blocks, drops, reports
 * spam and unsubscribes some recipients on two days; a mirror run; every new table holds exactly
 * what the emulator answers; a second run reads only what is new for the incremental collections
 * (the emulator's request counts); a day later a full pass marks a removed bounce deleted; and the
 * deliverability views, from the captured events, equal the emulator's {@code /v3/stats}.
 */
abstract class AccountDataMirrorContract {

    static final ObjectMapper M = new ObjectMapper();
    static final String KEY = "SG.account-data-0123456789";
    static final String SCHEMA = "sendgrid";
    /** Outcomes the hub's mail gets, by the address's start (see the emulator's RecipientOutcome). */
    static final List<String> OUTCOMES = List.of("plain", "open", "click", "bounce", "block", "spam", "unsub", "invalid", "defer");
    static final int MANY_BOUNCES = 600; // more than one page (500) of /v3/suppression/bounces

    @TempDir
    Path dir;
    final MutableClock hubClock = new MutableClock();
    final MutableClock mailClock = new MutableClock();
    final HttpClient http = HttpClient.newHttpClient();
    Hub hub;
    Emulator emulator;
    MirrorAccount sg;
    EmulatorHttp inspect;

    /** GRIDSYNC_* variables for the state database and the warehouse of one test. */
    abstract Map<String, String> environment(Path dir);

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void theAccountsSuppressionsStatsTemplatesAndMembershipsAreMirroredAndTheViewsAgreeWithSendGrid() throws Exception {
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(HubCalls.LOCAL_ENDPOINTS)
                .withEnvironment(environment(dir)).withEnvironment(Map.of("GRIDSYNC_SOURCE_INTERVAL", "off")), hubClock);
        EmulatorConfig ec = new EmulatorConfig().port(0).importDelayMillis(10).eventClock(mailClock)
                .webhookUrl(hub.baseUrl() + "/v1/webhooks/sendgrid");
        ec.webhookFlushMillis = 50;
        emulator = Emulator.start(ec);
        sg = new MirrorAccount(emulator.baseUrl(), KEY);
        inspect = new EmulatorHttp(emulator, KEY);
        String publicKey = get(emulator.baseUrl() + "/_emulator/webhook/public-key", null).path("public_key").asText();
        admin("PUT", "/v1/admin/sources/sendgrid", "{\"webhook_public_key\":\"" + publicKey + "\"}");

        // the account: templates, an unsubscribe group, a sender, lists with contacts, a Single Send
        String template = sg.call("POST", "/v3/templates", "{\"name\":\"welcome\",\"generation\":\"dynamic\"}").path("id").asText();
        sg.call("POST", "/v3/templates/" + template + "/versions", "{\"name\":\"v1\",\"subject\":\"Hi {{name}}\","
                + "\"html_content\":\"<p>Hi</p>\"}");
        String legacy = sg.call("POST", "/v3/templates", "{\"name\":\"old receipt\"}").path("id").asText();
        sg.call("POST", "/v3/templates/" + legacy + "/versions", "{\"name\":\"receipt\",\"subject\":\"Receipt\","
                + "\"html_content\":\"<p><%body%></p>\",\"plain_content\":\"<%body%>\"}");
        long group = sg.call("POST", "/v3/asm/groups", "{\"name\":\"Newsletter\",\"description\":\"Weekly news\"}").path("id").asLong();
        sg.call("POST", "/v3/marketing/senders", "{\"nickname\":\"Shop\",\"from\":{\"email\":\"hello@shop.example\",\"name\":\"Shop\"},"
                + "\"reply_to\":{\"email\":\"help@shop.example\"},\"address\":\"1 Main St\",\"city\":\"Springfield\",\"country\":\"US\"}");
        String customers = sg.createList("customers");
        String trial = sg.createList("trial");
        sg.putContacts(List.of(customers), 0, 20, i -> "{\"email\":\"c" + i + "@example.com\"}");
        sg.putContacts(List.of(customers, trial), 20, 30, i -> "{\"email\":\"c" + i + "@example.com\"}");
        sg.createSegment("trial named C25", trial, "SELECT contact_id FROM contact_data WHERE first_name = 'C25'");
        String singleSend = sg.createSingleSend("launch", "We launched", customers);
        admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"SendGrid","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"%s","endpoint":"%s","email":{"event":"Signed Up","template_id":"%s",
                           "from":{"email":"hello@shop.example","name":"Shop"}}}}
                """.formatted(KEY, emulator.baseUrl(), template));

        // day 1, 10:00 and 13:00: mail through the hub and straight through Mail Send
        LocalDate day1 = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        Instant t0 = day1.atTime(10, 0).toInstant(ZoneOffset.UTC);
        mailClock.set(t0);
        long events = track("a") + mailSend("a", group, singleSend) + bounces(MANY_BOUNCES);
        mailClock.set(t0.plus(Duration.ofHours(3)));
        events += track("b");
        awaitEvents(events);

        JsonNode first = syncAndWait();
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
        assertThat(first.path("rows").path("bounces").asLong()).isEqualTo(MANY_BOUNCES + 2);
        assertThat(inspect.requests("GET /v3/suppression/bounces")).isEqualTo(2);
        assertEverythingMirrored();
        assertViewsAgreeWithStats(day1, day1);

        // day 2: more mail; the second run reads the lists from an hour before the newest entry it has
        LocalDate day2 = day1.plusDays(1);
        mailClock.set(day2.atTime(9, 0).toInstant(ZoneOffset.UTC));
        awaitEvents(events += track("c"));
        inspect.resetStats();
        JsonNode second = syncAndWait();
        assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("succeeded");
        assertThat(inspect.requests("GET /v3/suppression/bounces")).isEqualTo(1);
        assertThat(second.path("rows").path("bounces").asLong()).as("b and c, not the %s of a", MANY_BOUNCES + 1).isEqualTo(2);
        assertThat(second.path("rows").path("spam_reports").asLong()).isEqualTo(2);
        assertThat(second.path("rows").path("stats").asLong()).as("the newest day less 3, to today").isEqualTo(4);
        assertEverythingMirrored();
        assertViewsAgreeWithStats(day1, day2);

        // a bounce removed in SendGrid: incremental runs cannot see it; the next day's full pass marks it deleted
        sg.call("DELETE", "/v3/suppression/bounces/bounce-a@example.com", null);
        hubClock.set(Instant.now().plus(Duration.ofHours(25)));
        JsonNode third = syncAndWait();
        assertThat(third.path("rows").path("bounces").asLong()).isEqualTo(MANY_BOUNCES + 2);
        assertThat(third.path("deleted").path("bounces").asLong()).isEqualTo(1);
        assertThat(count("bounces", "email = 'bounce-a@example.com' AND _deleted_at IS NOT NULL")).isEqualTo(1);
        assertEverythingMirrored();
    }

    // ---- what the emulator holds, table by table -----------------------------------------------

    void assertEverythingMirrored() {
        Map<String, String> suppressionLists = Map.of("bounces", "bounces", "blocks", "blocks", "spam_reports", "spam_reports",
                "invalid_emails", "invalid_emails", "global_suppressions", "unsubscribes");
        suppressionLists.forEach((table, list) -> {
            Set<String> emulated = new HashSet<>();
            sg.call("GET", "/v3/suppression/" + list + "?limit=500", null).forEach(e -> emulated.add(e.path("email").asText()
                    + "|" + e.path("created").asLong() + "|" + e.path("reason").asText("") + "|" + e.path("status").asText("")
                    + "|" + e.path("ip").asText("")));
            for (int offset = 500; emulated.size() == offset; offset += 500) {
                sg.call("GET", "/v3/suppression/" + list + "?limit=500&offset=" + offset, null).forEach(e -> emulated.add(
                        e.path("email").asText() + "|" + e.path("created").asLong() + "|" + e.path("reason").asText("") + "|"
                                + e.path("status").asText("") + "|" + e.path("ip").asText("")));
            }
            List<String> extra = new ArrayList<>(List.of("''", "''", "''"));
            List<String> cols = List.of("reason", "status", "ip");
            Set<String> columns = hub.warehouse().columns(SCHEMA, table);
            for (int i = 0; i < cols.size(); i++) {
                if (columns.contains(cols.get(i))) {
                    extra.set(i, "COALESCE(" + cols.get(i) + ", '')");
                }
            }
            assertThat(live(table, "email", "created:ts", extra.get(0), extra.get(1), extra.get(2))).as(table).isEqualTo(emulated);
        });
        Set<String> groups = new HashSet<>();
        Set<String> members = new HashSet<>();
        sg.call("GET", "/v3/asm/groups", null).forEach(g -> {
            groups.add(g.path("id").asLong() + "|" + g.path("name").asText() + "|" + g.path("description").asText() + "|"
                    + g.path("unsubscribes").asLong());
            sg.call("GET", "/v3/asm/groups/" + g.path("id").asLong() + "/suppressions", null)
                    .forEach(e -> members.add(g.path("id").asLong() + "|" + e.asText()));
        });
        assertThat(live("suppression_groups", "id", "name", "description", "unsubscribes")).isEqualTo(groups);
        assertThat(live("suppression_group_members", "group_id", "email")).isEqualTo(members).isNotEmpty();

        Set<String> templates = new HashSet<>();
        Set<String> versions = new HashSet<>();
        sg.call("GET", "/v3/templates?generations=legacy,dynamic&page_size=200", null).path("result").forEach(t -> {
            templates.add(t.path("id").asText() + "|" + t.path("name").asText() + "|" + t.path("generation").asText());
            t.path("versions").forEach(v -> versions.add(v.path("id").asText() + "|" + t.path("id").asText() + "|"
                    + v.path("name").asText() + "|" + v.path("subject").asText()));
        });
        assertThat(live("templates", "id", "name", "generation")).isEqualTo(templates).hasSize(2);
        assertThat(live("template_versions", "id", "template_id", "name", "subject")).isEqualTo(versions).hasSize(2);

        Set<String> senders = new HashSet<>();
        sg.call("GET", "/v3/marketing/senders", null).path("results").forEach(s -> senders.add(s.path("id").asLong() + "|"
                + s.path("nickname").asText() + "|" + s.path("from").path("email").asText() + "|" + s.path("reply_to").path("email").asText()));
        assertThat(live("senders", "id", "nickname", "from_email", "reply_to_email")).isEqualTo(senders).hasSize(1);

        for (String kind : List.of("singlesends", "automations")) {
            Set<String> stats = new HashSet<>();
            sg.call("GET", "/v3/marketing/stats/" + kind + "?page_size=50", null).path("results").forEach(r -> stats.add(
                    r.path("id").asText() + "|" + r.path("stats").path("requests").asLong() + "|" + r.path("stats").path("delivered").asLong()
                            + "|" + r.path("stats").path("unique_opens").asLong() + "|" + r.path("stats").path("unsubscribes").asLong()));
            assertThat(live(kind.equals("singlesends") ? "singlesend_stats" : "automation_stats", "id", "requests", "delivered",
                    "unique_opens", "unsubscribes")).as(kind).isEqualTo(stats).hasSize(1);
        }

        List<String> range = rows("SELECT MIN(date), MAX(date) FROM " + table("stats")).get(0);
        Set<String> days = new HashSet<>();
        sg.call("GET", "/v3/stats?aggregated_by=day&start_date=" + range.get(0) + "&end_date=" + range.get(1), null).forEach(d -> {
            StringBuilder b = new StringBuilder(d.path("date").asText());
            StatsCollection.METRICS.forEach(m -> b.append('|').append(d.path("stats").path(0).path("metrics").path(m).asLong()));
            days.add(b.toString());
        });
        List<String> statsColumns = new ArrayList<>(List.of("date"));
        statsColumns.addAll(StatsCollection.METRICS);
        assertThat(live("stats", statsColumns.toArray(String[]::new))).isEqualTo(days).hasSizeGreaterThan(300);

        Set<String> lists = new HashSet<>();
        sg.call("GET", "/v3/marketing/lists?page_size=1000", null).path("result").forEach(l -> {
            if (l.path("contact_count").asLong() > 0) {
                lists.add(l.path("id").asText() + "|" + l.path("contact_count").asLong());
            }
        });
        assertThat(new HashSet<>(rows("SELECT list_id, COUNT(*) FROM " + table("list_members") + " WHERE _deleted_at IS NULL "
                + "GROUP BY list_id").stream().map(r -> r.get(0) + "|" + r.get(1)).toList())).isEqualTo(lists).hasSize(2);
        // the emulator counts a segment's members as its parent list's (it does not run the rest of the query)
        Set<String> segments = new HashSet<>();
        sg.call("GET", "/v3/marketing/segments/2.0", null).path("results").forEach(g -> segments.add(g.path("id").asText() + "|"
                + g.path("contacts_count").asLong()));
        assertThat(new HashSet<>(rows("SELECT segment_id, COUNT(*) FROM " + table("segment_members") + " WHERE _deleted_at IS NULL "
                + "GROUP BY segment_id").stream().map(r -> r.get(0) + "|" + r.get(1)).toList())).isEqualTo(segments).hasSize(1);
    }

    // ---- the deliverability views -----------------------------------------------------------------

    void assertViewsAgreeWithStats(LocalDate from, LocalDate to) {
        Map<String, String> view = Map.of("processed", "processed", "delivered", "delivered", "bounces", "bounced",
                "unique_opens", "unique_opens", "unique_clicks", "unique_clicks", "spam_reports", "spam_reports",
                "unsubscribes", "unsubscribes");
        List<String> metrics = new ArrayList<>(new TreeSet<>(view.keySet()));
        Set<String> emulated = new HashSet<>();
        sg.call("GET", "/v3/stats?aggregated_by=day&start_date=" + from + "&end_date=" + to, null).forEach(d -> {
            JsonNode m = d.path("stats").path(0).path("metrics");
            if (m.path("requests").asLong() > 0) {
                StringBuilder b = new StringBuilder(d.path("date").asText());
                metrics.forEach(k -> b.append('|').append(m.path(k).asLong()));
                emulated.add(b.toString());
            }
        });
        String columns = String.join(", ", metrics.stream().map(view::get).toList());
        Set<String> warehouse = new HashSet<>();
        for (List<String> r : rows("SELECT " + dayText("day") + ", " + columns + " FROM " + table("deliverability_daily")
                + " ORDER BY 1")) {
            warehouse.add(String.join("|", r));
        }
        assertThat(warehouse).isEqualTo(emulated).isNotEmpty();

        // per Single Send, over all days: SendGrid's totals of the Single Send
        JsonNode total = sg.call("GET", "/v3/marketing/stats/singlesends?page_size=50", null).path("results").get(0);
        List<String> captured = rows("SELECT SUM(delivered), SUM(unique_opens), SUM(unsubscribes) FROM " + table("deliverability_by_singlesend")
                + " WHERE singlesend_id = '" + total.path("id").asText() + "'").get(0);
        assertThat(captured.stream().map(Long::parseLong).toList()).containsExactly(total.path("stats").path("delivered").asLong(),
                total.path("stats").path("unique_opens").asLong(), total.path("stats").path("unsubscribes").asLong());
        // per category: the news mail (groupunsub and open recipients) of each day
        assertThat(rows("SELECT SUM(processed) FROM " + table("deliverability_by_category") + " WHERE category = 'news'").get(0).get(0))
                .isEqualTo("2");
    }

    /** The view's day column as YYYY-MM-DD text in this dialect. */
    abstract String dayText(String column);

    // ---- sending -------------------------------------------------------------------------------

    /** Tracks one "Signed Up" per outcome through the hub, for {outcome}-{suffix}@example.com; returns the events to expect. */
    long track(String suffix) throws Exception {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        long events = 0;
        for (int i = 0; i < OUTCOMES.size(); i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u-").append(suffix)
                    .append(i).append("\",\"properties\":{\"email\":\"").append(OUTCOMES.get(i)).append('-').append(suffix)
                    .append("@example.com\"}}");
            events += eventsFor(OUTCOMES.get(i));
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/batch"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((hub.writeKey() + ":").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch.append("]}").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return events;
    }

    /** Mail with an unsubscribe group, one for a Single Send and one for an Automation; returns the events to expect. */
    long mailSend(String suffix, long group, String singleSend) {
        sg.call("POST", "/v3/mail/send", """
                {"personalizations":[{"to":[{"email":"groupunsub-%1$s@example.com"},{"email":"open-g%1$s@example.com"}]}],
                 "from":{"email":"hello@shop.example"},"subject":"News","content":[{"type":"text/plain","value":"news"}],
                 "categories":["news"],"asm":{"group_id":%2$d},"custom_args":{"singlesend_id":"%3$s"}}
                """.formatted(suffix, group, singleSend));
        sg.call("POST", "/v3/mail/send", """
                {"personalizations":[{"to":[{"email":"click-auto%s@example.com"}]}],
                 "from":{"email":"hello@shop.example"},"subject":"Welcome","content":[{"type":"text/plain","value":"hi"}],
                 "custom_args":{"mc_auto_id":"5d3f9b2e-6c1a-4f0e-9a57-2b8c4d1e7f60"}}
                """.formatted(suffix));
        return eventsFor("groupunsub") + eventsFor("open") + eventsFor("click");
    }

    /** One message to {@code n} addresses that bounce; returns the events to expect. */
    long bounces(int n) {
        StringBuilder to = new StringBuilder();
        for (int i = 0; i < n; i++) {
            to.append(i == 0 ? "" : ",").append("{\"email\":\"bounce-many").append(i).append("@example.com\"}");
        }
        sg.call("POST", "/v3/mail/send", "{\"personalizations\":[{\"to\":[" + to + "]}],\"from\":{\"email\":\"hello@shop.example\"},"
                + "\"subject\":\"x\",\"content\":[{\"type\":\"text/plain\",\"value\":\"x\"}]}");
        return (long) n * eventsFor("bounce");
    }

    static int eventsFor(String outcome) {
        return io.gridsync.emulator.webhook.RecipientOutcome.of(outcome + "-x@example.com").events.size();
    }

    void awaitEvents(long n) {
        awaitUntil(() -> count("activity", null) == n, n + " events captured");
    }

    // ---- helpers -------------------------------------------------------------------------------

    JsonNode syncAndWait() {
        JsonNode begun = admin("POST", "/v1/admin/sources/SendGrid/sync", "");
        long id = begun.path("run_id").asLong();
        awaitUntil(() -> !Set.of("queued", "running").contains(admin("GET", "/v1/admin/sources/SendGrid/runs/" + id, null)
                .path("status").asText()), "run " + id + " finished");
        return admin("GET", "/v1/admin/sources/SendGrid/runs/" + id, null);
    }

    JsonNode admin(String method, String path, String body) {
        return send(method, hub.baseUrl() + path, "Bearer " + hub.adminToken(), body);
    }

    JsonNode get(String url, String auth) {
        return send("GET", url, auth, null);
    }

    JsonNode send(String method, String url, String auth, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (auth != null) {
                b.header("Authorization", auth);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode() / 100).as(method + " " + url + ": " + r.body()).isEqualTo(2);
            return r.body().isBlank() ? M.createObjectNode() : M.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + url, e);
        }
    }

    String table(String name) {
        return hub.warehouse().tableName(SCHEMA, name);
    }

    /** The rows not deleted, each as its columns joined by |; a column named {@code x:ts} is a time, as Unix seconds. */
    Set<String> live(String table, String... columns) {
        String select = String.join(", ", java.util.Arrays.stream(columns).map(c -> c.endsWith(":ts") ? c.substring(0, c.length() - 3) : c)
                .toList());
        return hub.warehouse().query(SCHEMA, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + select + " FROM " + table(table)
                    + " WHERE _deleted_at IS NULL")) {
                Set<String> out = new HashSet<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 0; i < columns.length; i++) {
                        row.add(columns[i].endsWith(":ts") ? Long.toString(MirrorCursor.instant(rs.getObject(i + 1)).getEpochSecond())
                                : rs.getString(i + 1));
                    }
                    out.add(String.join("|", row));
                }
                return out;
            }
        });
    }

    long count(String table, String where) {
        return Long.parseLong(rows("SELECT COUNT(*) FROM " + table(table) + (where == null ? "" : " WHERE " + where)).get(0).get(0));
    }

    List<List<String>> rows(String sql) {
        return io.gridsync.server.testing.WarehouseRows.of(hub.warehouse(), SCHEMA, sql);
    }

    static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // the table may not exist yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not within 2 minutes: " + what);
    }
}
