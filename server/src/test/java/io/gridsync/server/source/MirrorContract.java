package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.http.ApiKeys;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.integrations.NewIntegration;
import io.gridsync.server.testing.MirrorAccount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The object sync end to end, on each warehouse (subclasses): a hub whose integration points at an
 * emulated account with 5 lists, 2 segments, 3 single sends and 100,000 contacts (export files of
 * 25,000), synced through the admin API; the tables hold exactly those objects; a second run after
 * changes in SendGrid (a renamed list, a deleted list, 1,000 updated contacts, 10 deleted contacts,
 * a new single send) shows the new state; refused keys say invalid credentials and which scope is
 * missing; an empty account says zero data synced.
 */
abstract class MirrorContract {

    static final ObjectMapper M = new ObjectMapper();
    static final String FULL_KEY = "SG.mirror.full-access-key-0001";
    static final String READ_ONLY_KEY = "SG.mirror.read-only-key-0002";
    static final String MAIL_ONLY_KEY = "SG.mirror.mail-only-key-0003";
    static final String UNKNOWN_KEY = "SG.mirror.unknown-key-0004";
    static final int CONTACTS = 100_000;

    static Emulator account;
    static Emulator empty;
    static MirrorAccount sg;
    static List<String> lists;
    static Map<String, String> fields;

    @TempDir
    Path dir;

    Hub hub;
    final HttpClient http = HttpClient.newHttpClient();

    /** GRIDSYNC_* variables for the state database and the warehouse of one test. */
    abstract Map<String, String> environment(Path dir);

    /**
     * The example queries of docs/mirror.md as this warehouse writes them: "per list" (name,
     * contact_count, mirrored_members), "by plan" (plan, count), "deleted", "per day" (day, count),
     * "scheduled" (name, send_at, list_contacts).
     */
    abstract Map<String, String> exampleQueries();

    @BeforeAll
    static void fillAccount() {
        account = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10).exportRowsPerFile(25_000)
                .apiKey(FULL_KEY, ApiKeys.ALL_SCOPES)
                .apiKey(READ_ONLY_KEY, Set.of("marketing.read"))
                .apiKey(MAIL_ONLY_KEY, Set.of("mail.send")));
        empty = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        sg = new MirrorAccount(account.baseUrl(), FULL_KEY);
        fields = Map.of("plan", sg.createField("plan", "Text"), "score", sg.createField("score", "Number"),
                "signup", sg.createField("signup", "Date"));
        lists = new ArrayList<>();
        for (String name : List.of("newsletter", "customers", "trial", "churned", "vip")) {
            lists.add(sg.createList(name));
        }
        sg.createSegment("customers named F1", lists.get(1), "SELECT contact_id FROM contact_data WHERE first_name = 'F1'");
        sg.createSegment("everyone with a plan", null, "SELECT contact_id FROM contact_data WHERE plan = 'pro'");
        for (int i = 1; i <= 3; i++) {
            sg.createSingleSend("campaign " + i, "Subject " + i, lists.get(0));
        }
        // 0..29,999 on newsletter + customers, then 30,000 each on customers, trial, and 10,000 on churned; vip stays empty
        sg.putContacts(List.of(lists.get(0), lists.get(1)), 0, 30_000, MirrorContract::contact);
        sg.putContacts(List.of(lists.get(1)), 30_000, 60_000, MirrorContract::contact);
        sg.putContacts(List.of(lists.get(2)), 60_000, 90_000, MirrorContract::contact);
        sg.putContacts(List.of(lists.get(3)), 90_000, CONTACTS, MirrorContract::contact);
    }

    static String contact(int i) {
        return "{\"email\":\"u" + i + "@example.com\",\"first_name\":\"F" + i + "\",\"city\":\"City " + (i % 50) + "\","
                + "\"custom_fields\":{\"" + fields.get("plan") + "\":\"" + (i % 2 == 0 ? "pro" : "free") + "\",\""
                + fields.get("score") + "\":" + i + (i % 10 == 0 ? ",\"" + fields.get("signup") + "\":\"2024-03-01\"" : "") + "}}";
    }

    @AfterAll
    static void stopAccounts() {
        account.close();
        empty.close();
    }

    @AfterEach
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    void startHub() {
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS).withEnvironment(environment(dir)));
    }

    void install(String name, Emulator at, String key) {
        hub.integrations().create(new NewIntegration(name, "sendgrid", "server_side", at.baseUrl(), new ApiKey(key), null,
                "marketing", false, null, true, null));
    }

    @Test
    void aFirstRunFillsTheTablesAndASecondRunShowsTheChanges() throws Exception {
        startHub();
        install("sendgrid", account, FULL_KEY);

        JsonNode first = syncAndWait("sendgrid");
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
        assertThat(first.path("rows").path("lists").asLong()).isEqualTo(5);
        assertThat(first.path("rows").path("segments").asLong()).isEqualTo(2);
        assertThat(first.path("rows").path("campaigns").asLong()).isEqualTo(3);
        assertThat(first.path("rows").path("recipients").asLong()).isEqualTo(CONTACTS);
        assertThat(first.path("rows").path("field_definitions").asLong()).isGreaterThan(3);
        first.path("deleted").forEach(n -> assertThat(n.asLong()).isZero());

        assertThat(count("recipients", null)).isEqualTo(CONTACTS);
        assertThat(count("recipients", "_deleted_at IS NULL AND _synced_at IS NOT NULL AND created_at IS NOT NULL")).isEqualTo(CONTACTS);
        assertThat(count("recipients", "first_name = 'F77' AND email = 'u77@example.com' AND city = 'City 27'")).isEqualTo(1);
        Map<String, Object> u20 = row("recipients", "email = 'u20@example.com'", "custom_fields", "list_ids", "id");
        JsonNode custom = M.readTree((String) u20.get("custom_fields"));
        assertThat(custom.path("plan").asText()).isEqualTo("pro");
        assertThat(custom.path("score").asInt()).isEqualTo(20);
        assertThat(custom.path("signup").asText()).startsWith("2024-03-01");
        assertThat(texts(M.readTree((String) u20.get("list_ids")))).containsExactlyInAnyOrder(lists.get(0), lists.get(1));

        assertThat(names("lists")).containsExactlyInAnyOrder("newsletter", "customers", "trial", "churned", "vip");
        assertThat(count("lists", "name = 'customers' AND contact_count = 60000")).isEqualTo(1);
        assertThat(count("lists", "name = 'vip' AND contact_count = 0")).isEqualTo(1);
        assertThat(count("segments", "query_dsl LIKE '%first_name = ''F1''%' AND status_query_validation = 'VALID'")).isEqualTo(1);
        assertThat(count("segments", "name = 'customers named F1' AND contacts_count = 60000")).isEqualTo(1);
        assertThat(count("campaigns", "subject = 'Subject 2' AND status = 'draft' AND sender_id = 12 AND suppression_group_id = 34 "
                + "AND send_at IS NOT NULL AND editor = 'code'")).isEqualTo(1);
        assertThat(count("field_definitions", "name = 'score' AND field_type = 'Number' AND id = '" + fields.get("score") + "'"))
                .isEqualTo(1);
        assertThat(count("field_definitions", "name = 'created_at' AND reserved = TRUE AND read_only = TRUE")).isEqualTo(1);
        assertThat(count("field_definitions", "name = 'email' AND reserved = TRUE AND read_only = FALSE")).isEqualTo(1);

        // the example queries of docs/mirror.md run on this warehouse and say what they should
        Map<String, String> examples = exampleQueries();
        assertThat(rows(examples.get("per list"))).contains(List.of("customers", "60000", "60000"), List.of("vip", "0", "0"));
        assertThat(rows(examples.get("by plan"))).containsExactlyInAnyOrder(List.of("free", "50000"), List.of("pro", "50000"));
        assertThat(rows(examples.get("deleted"))).isEmpty();
        assertThat(rows(examples.get("per day")).stream().mapToLong(r -> Long.parseLong(r.get(1))).sum()).isEqualTo(CONTACTS);
        assertThat(rows(examples.get("scheduled"))).isEmpty(); // the emulator's single sends stay drafts

        // changes in SendGrid
        List<String> gone = new ArrayList<>();
        for (int i = 99_990; i < CONTACTS; i++) {
            gone.add((String) row("recipients", "email = 'u" + i + "@example.com'", "id").get("id"));
        }
        sg.renameList(lists.get(0), "weekly newsletter");
        sg.deleteList(lists.get(3)); // churned: its 10,000 contacts stay, without the list
        sg.putContacts(List.of(), 0, 1_000, i -> "{\"email\":\"u" + i + "@example.com\",\"first_name\":\"Updated\"}");
        sg.deleteContacts(gone);
        sg.createSingleSend("campaign 4", "Subject 4", lists.get(1));

        JsonNode second = syncAndWait("sendgrid");
        assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("succeeded");
        assertThat(second.path("rows").path("lists").asLong()).isEqualTo(4);
        assertThat(second.path("deleted").path("lists").asLong()).isEqualTo(1);
        assertThat(second.path("rows").path("recipients").asLong()).isEqualTo(CONTACTS - 10);
        assertThat(second.path("deleted").path("recipients").asLong()).isEqualTo(10);
        assertThat(second.path("rows").path("campaigns").asLong()).isEqualTo(4);
        assertThat(second.path("deleted").path("campaigns").asLong()).isZero();

        assertThat(count("lists", "name = 'weekly newsletter' AND _deleted_at IS NULL")).isEqualTo(1);
        assertThat(count("lists", "name = 'newsletter'")).isZero();
        assertThat(count("lists", "id = '" + lists.get(3) + "' AND _deleted_at IS NOT NULL")).isEqualTo(1);
        assertThat(count("lists", "_deleted_at IS NULL")).isEqualTo(4);
        assertThat(count("recipients", "first_name = 'Updated' AND _deleted_at IS NULL")).isEqualTo(1_000);
        assertThat(count("recipients", "first_name = 'F5'")).isZero();
        assertThat(count("recipients", "_deleted_at IS NOT NULL")).isEqualTo(10);
        assertThat(count("recipients", "email = 'u99995@example.com' AND _deleted_at IS NOT NULL")).isEqualTo(1);
        assertThat(count("recipients", null)).isEqualTo(CONTACTS); // deleted objects keep their last row
        JsonNode u95 = M.readTree((String) row("recipients", "email = 'u95000@example.com'", "list_ids").get("list_ids"));
        assertThat(texts(u95)).isEmpty(); // its list is gone
        assertThat(count("campaigns", "name = 'campaign 4' AND subject = 'Subject 4'")).isEqualTo(1);

        JsonNode runs = get("/v1/admin/sources/sendgrid/runs");
        assertThat(runs.path("runs")).hasSize(2);
        assertThat(runs.path("runs").get(0).path("id").asLong()).isEqualTo(second.path("id").asLong());
        assertThat(runs.path("runs").get(1).path("trigger").asText()).isEqualTo("admin");
        JsonNode source = get("/v1/admin/sources/sendgrid");
        assertThat(source.path("schema").asText()).isEqualTo("sendgrid");
        assertThat(source.path("interval").asText()).isEqualTo("3h");
        assertThat(source.path("last_run").path("id").asLong()).isEqualTo(second.path("id").asLong());
        assertThat(source.path("next_run_at").asText()).isNotEmpty();
    }

    @Test
    void refusedKeysSayInvalidCredentialsAndWhichScopeIsMissing() {
        startHub();
        install("unknown", account, UNKNOWN_KEY);
        install("mail only", account, MAIL_ONLY_KEY);
        install("read only", account, READ_ONLY_KEY);

        JsonNode unknown = syncAndWait("unknown");
        assertThat(unknown.path("status").asText()).isEqualTo("invalid_credentials");
        assertThat(unknown.path("message").asText()).startsWith("invalid credentials").contains("401")
                .contains("PATCH /v1/admin/integrations/").doesNotContain(UNKNOWN_KEY);
        assertThat(unknown.path("rows")).isEmpty();

        JsonNode mail = syncAndWait("mail only");
        assertThat(mail.path("status").asText()).isEqualTo("invalid_credentials");
        assertThat(texts(mail.path("missing_scopes"))).contains("marketing.read", "marketing.write", "suppression.bounces.read",
                "asm.groups.read", "stats.global.read", "templates.read");
        assertThat(mail.path("error").asText()).contains("lacks every scope");
        assertThat(mail.path("rows")).isEmpty();

        // the collections marketing.read reads are synced; the others are skipped, each named with the scope it needs
        int listsNow = sg.call("GET", "/v3/marketing/lists?page_size=1000", null).path("result").size(); // the other test may delete one
        JsonNode read = syncAndWait("read only");
        assertThat(read.path("status").asText()).isEqualTo("invalid_credentials");
        assertThat(texts(read.path("missing_scopes"))).contains("marketing.write", "suppression.bounces.read", "templates.read")
                .doesNotContain("marketing.read");
        assertThat(read.path("error").asText()).contains("recipients skipped: the API key lacks marketing.write")
                .contains("bounces skipped: the API key lacks suppression.bounces.read")
                .contains("{\"collections\": {\"<name>\": false}}");
        assertThat(read.path("rows").path("lists").asLong()).isEqualTo(listsNow);
        assertThat(read.path("rows").has("senders")).isTrue();
        assertThat(read.path("rows").has("recipients")).isFalse();
        assertThat(read.path("rows").has("bounces")).isFalse();
        long readOnlyLists = hub.warehouse().query("read_only", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM "
                    + hub.warehouse().tableName("read_only", "lists"))) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(readOnlyLists).isEqualTo(listsNow);
    }

    @Test
    void anEmptyAccountSaysZeroDataSynced() {
        startHub();
        install("sendgrid", empty, "SG.any-key-the-open-emulator-takes");
        JsonNode run = syncAndWait("sendgrid");
        assertThat(run.path("status").asText()).isEqualTo("zero_data_synced");
        assertThat(run.path("message").asText()).isEqualTo("zero data synced");
        assertThat(run.path("rows").path("lists").asLong()).isZero();
        assertThat(run.path("rows").path("recipients").asLong()).isZero();
        assertThat(run.path("rows").path("field_definitions").asLong()).isPositive(); // reserved fields, in every account
        assertThat(count("recipients", null)).isZero(); // the tables exist, empty
    }

    // ---- helpers -------------------------------------------------------------------------------

    JsonNode syncAndWait(String source) {
        String path = "/v1/admin/sources/" + source.replace(" ", "%20");
        HttpResponse<String> r = send("POST", path + "/sync", "");
        // 409: the scheduled run began first; it syncs the same, so it is the one to wait for
        assertThat(r.statusCode()).as(r.body()).isIn(202, 409);
        long id = read(r.body()).path("run_id").asLong();
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode run = get(path + "/runs/" + id);
            if (!Set.of("queued", "running").contains(run.path("status").asText())) {
                assertThat(run.path("finished_at").isNull()).isFalse();
                return run;
            }
            sleep(100);
        }
        throw new AssertionError("run " + id + " of " + source + " did not finish in 5 minutes");
    }

    JsonNode get(String path) {
        HttpResponse<String> r = send("GET", path, null);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return read(r.body());
    }

    HttpResponse<String> send(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                    .header("Authorization", "Bearer " + hub.adminToken())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String json) {
        try {
            return M.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(json, e);
        }
    }

    long count(String table, String where) {
        return hub.warehouse().query("sendgrid", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM "
                    + hub.warehouse().tableName("sendgrid", table) + (where == null ? "" : " WHERE " + where))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    List<String> names(String table) {
        return hub.warehouse().query("sendgrid", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM "
                    + hub.warehouse().tableName("sendgrid", table))) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    Map<String, Object> row(String table, String where, String... columns) {
        return hub.warehouse().query("sendgrid", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", columns) + " FROM "
                    + hub.warehouse().tableName("sendgrid", table) + " WHERE " + where);
                 ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(table + " where " + where).isTrue();
                Map<String, Object> out = new HashMap<>();
                for (int i = 0; i < columns.length; i++) {
                    out.put(columns[i], rs.getString(i + 1));
                }
                assertThat(rs.next()).as("one row of " + table + " where " + where).isFalse();
                return out;
            }
        });
    }

    List<List<String>> rows(String sql) {
        return io.gridsync.server.testing.WarehouseRows.of(hub.warehouse(), "sendgrid", sql);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
