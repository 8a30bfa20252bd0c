package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mirror into the default warehouse: SQLite files under the data directory (state in SQLite
 * too); and the source settings of the admin API, which do not depend on the database.
 */
class MirrorSqliteTest extends MirrorContract {

    @Override
    Map<String, String> environment(Path dir) {
        return Map.of();
    }

    @Override
    Map<String, String> exampleQueries() {
        return Map.of("per list", """
                SELECT l.name, l.contact_count, COUNT(r.id) AS mirrored_members
                FROM lists l
                LEFT JOIN recipients r ON r._deleted_at IS NULL
                     AND EXISTS (SELECT 1 FROM json_each(r.list_ids) WHERE json_each.value = l.id)
                GROUP BY l.id, l.name, l.contact_count
                ORDER BY l.name""", "by plan", """
                SELECT json_extract(custom_fields, '$.plan') AS plan, COUNT(*) FROM recipients
                WHERE _deleted_at IS NULL GROUP BY 1""", "deleted", """
                SELECT 'list' AS kind, name, _deleted_at FROM lists WHERE _deleted_at IS NOT NULL
                UNION ALL SELECT 'single send', name, _deleted_at FROM campaigns WHERE _deleted_at IS NOT NULL
                UNION ALL SELECT 'contact', email, _deleted_at FROM recipients WHERE _deleted_at IS NOT NULL
                ORDER BY _deleted_at DESC""", "per day", """
                SELECT substr(created_at, 1, 10) AS day, COUNT(*) FROM recipients
                WHERE created_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-30 days') GROUP BY day ORDER BY day""", "scheduled", """
                SELECT c.name, c.send_at, SUM(l.contact_count) AS list_contacts
                FROM campaigns c, json_each(c.send_to_list_ids) AS a
                JOIN lists l ON l.id = a.value
                WHERE c.status = 'scheduled' AND c._deleted_at IS NULL
                GROUP BY c.id, c.name, c.send_at ORDER BY c.send_at""");
    }

    @Test
    void eachSchemaIsAFileUnderTheDataDirectory() {
        startHub();
        install("sendgrid", empty, "SG.any-key-the-open-emulator-takes");
        syncAndWait("sendgrid");
        assertThat(dir.resolve("data/warehouse/sendgrid.db")).exists();
    }

    @Test
    void sourceSettingsAreCheckedAndShown() throws Exception {
        startHub();
        install("sendgrid", empty, "SG.any-key-the-open-emulator-takes");
        install("EU account", empty, "SG.another-key-for-the-same-emulator");

        JsonNode all = get("/v1/admin/sources");
        assertThat(all.path("sources")).hasSize(2);
        JsonNode eu = get("/v1/admin/sources/EU%20account");
        assertThat(eu.path("schema").asText()).isEqualTo("eu_account");
        assertThat(eu.path("interval").asText()).isEqualTo("3h");
        assertThat(eu.path("last_run").isNull()).isTrue();
        assertThat(eu.path("tables").toString()).contains("recipients", "campaigns", "field_definitions");
        assertThat(eu.toString()).doesNotContain("SG.another");

        HttpResponse<String> ok = send("PATCH", "/v1/admin/sources/EU%20account", "{\"interval\":\"90m\",\"schema\":\"eu\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(read(ok.body()).path("interval").asText()).isEqualTo("90m");
        assertThat(read(ok.body()).path("schema").asText()).isEqualTo("eu");
        JsonNode off = read(send("PATCH", "/v1/admin/sources/EU%20account", "{\"interval\":\"off\"}").body());
        assertThat(off.path("interval").asText()).isEqualTo("off");
        assertThat(off.path("next_run_at").isNull()).isTrue();
        assertThat(read(send("PATCH", "/v1/admin/sources/EU%20account", "{\"interval\":null}").body()).path("interval").asText())
                .isEqualTo("3h");

        assertError(send("PATCH", "/v1/admin/sources/EU%20account", "{\"interval\":\"5s\"}"), 400, "at least 1m");
        assertError(send("PATCH", "/v1/admin/sources/EU%20account", "{\"interval\":\"often\"}"), 400, "not a duration");
        assertError(send("PATCH", "/v1/admin/sources/EU%20account", "{\"schema\":\"Bad-Name\"}"), 400, "lower-case");
        assertError(send("PATCH", "/v1/admin/sources/EU%20account", "{\"schema\":\"sendgrid\"}"), 409, "source 'sendgrid'");
        assertError(send("PATCH", "/v1/admin/sources/EU%20account", "{\"intreval\":\"1h\"}"), 400, "unknown field intreval");
        assertError(send("PATCH", "/v1/admin/sources/EU%20account", "{not json"), 400, "not valid JSON");
        assertError(send("PATCH", "/v1/admin/sources/EU%20account", "{\"enabled\":\"yes\"}"), 400, "true or false");
        assertError(send("POST", "/v1/admin/sources/nope/sync", ""), 404, "no source named 'nope'");
        assertError(send("GET", "/v1/admin/sources/sendgrid/runs?limit=0", null), 400, "limit");
        assertError(send("GET", "/v1/admin/sources/sendgrid/runs/42", null), 404, "no run 42");

        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/sources/sendgrid/sync"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(hub.mirror().runs().list("sendgrid", 10)).isEmpty();

        // a disabled source still runs on demand; and by integration id as well as by name
        send("PATCH", "/v1/admin/sources/sendgrid", "{\"enabled\":false}");
        String id = hub.integrations().findByName("sendgrid").orElseThrow().id();
        JsonNode run = syncAndWait(id);
        assertThat(run.path("source").asText()).isEqualTo("sendgrid");
        assertThat(run.path("status").asText()).isEqualTo("zero_data_synced");
    }

    @Test
    void collectionsSwitchedOffAreNotSyncedSoAKeyWithoutTheirScopesSucceeds() {
        startHub();
        install("read only", account, READ_ONLY_KEY);
        JsonNode source = get("/v1/admin/sources/read%20only");
        JsonNode bounces = null;
        for (JsonNode c : source.path("collections")) {
            bounces = c.path("name").asText().equals("bounces") ? c : bounces;
        }
        assertThat(bounces.path("enabled").asBoolean()).isTrue();
        assertThat(bounces.path("sync_mode").asText()).isEqualTo("incremental");
        assertThat(texts(bounces.path("scopes"))).containsExactly("suppression.bounces.read");

        // off: every collection the marketing.read key cannot read
        List<String> off = new java.util.ArrayList<>();
        source.path("collections").forEach(c -> {
            if (!texts(c.path("scopes")).equals(List.of("marketing.read"))) {
                off.add("\"" + c.path("name").asText() + "\": false");
            }
        });
        HttpResponse<String> patched = send("PATCH", "/v1/admin/sources/read%20only", "{\"collections\": {" + String.join(", ", off) + "}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(read(patched.body()).path("collections").toString()).contains("{\"name\":\"bounces\",\"enabled\":false");
        JsonNode run = syncAndWait("read only");
        assertThat(run.path("status").asText()).as(run.toString()).isIn("succeeded", "zero_data_synced");
        assertThat(run.path("missing_scopes")).isEmpty();
        assertThat(run.path("rows").has("bounces")).isFalse();
        assertThat(run.path("rows").has("lists")).isTrue();

        // null puts a collection back to the default, on
        JsonNode back = read(send("PATCH", "/v1/admin/sources/read%20only", "{\"collections\": {\"bounces\": null}}").body());
        assertThat(back.path("collections").toString()).contains("{\"name\":\"bounces\",\"enabled\":true");
        assertError(send("PATCH", "/v1/admin/sources/read%20only", "{\"collections\": {\"bounce\": false}}"), 400,
                "unknown collection bounce");
        assertError(send("PATCH", "/v1/admin/sources/read%20only", "{\"collections\": [\"bounces\"]}"), 400, "an object");
        assertError(send("PATCH", "/v1/admin/sources/read%20only", "{\"collections\": {\"bounces\": \"off\"}}"), 400,
                "true, false or null");
    }

    @Test
    void aSourceIsOneResourceForTheAccountsKeyWebhookScheduleAndForwarding() {
        startHub();
        install("SendGrid", empty, "SG.first-key-of-the-account-0001");
        JsonNode source = get("/v1/admin/sources/SendGrid");
        assertThat(source.path("mirrored").asBoolean()).isTrue();
        assertThat(source.path("schema").asText()).isEqualTo("sendgrid");
        assertThat(source.path("api_key").asText()).isEqualTo("SG.****0001");
        assertThat(source.path("webhook").path("path").asText()).isEqualTo("/v1/webhooks/sendgrid"); // the default webhook source
        assertThat(source.path("webhook").path("signed").asBoolean()).isFalse();
        assertThat(get("/v1/admin/sources").path("sources")).hasSize(1); // the webhook source of its schema is the same source
        assertThat(get("/v1/admin/sources/sendgrid").path("name").asText()).isEqualTo("SendGrid"); // by schema too

        String key = new io.gridsync.server.testing.WebhookSigner().publicKey();
        HttpResponse<String> patched = send("PATCH", "/v1/admin/sources/SendGrid", "{\"webhook_public_key\": \"" + key + "\", "
                + "\"api_key\": \"SG.second-key-of-the-account-0002\", \"interval\": \"1h\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode now = read(patched.body());
        assertThat(now.path("webhook").path("signed").asBoolean()).isTrue();
        assertThat(now.path("webhook").path("public_key").asText()).isEqualTo(key);
        assertThat(now.path("api_key").asText()).isEqualTo("SG.****0002");
        assertThat(now.path("interval").asText()).isEqualTo("1h");
        assertThat(patched.body()).doesNotContain("second-key");
        assertThat(syncAndWait("SendGrid").path("status").asText()).isEqualTo("zero_data_synced"); // the new key works

        assertError(send("PATCH", "/v1/admin/sources/SendGrid", "{\"webhook_public_key\": \"bm90IGEga2V5\"}"), 400, "");
        assertError(send("PATCH", "/v1/admin/sources/SendGrid", "{\"api_key\": 42}"), 400, "starts with SG.");
        assertError(send("PATCH", "/v1/admin/sources/SendGrid", "{\"forwarding\": {\"url\": \"https://api.segment.io/v1/batch\"}}"),
                400, "GRIDSYNC_ALLOWED_ENDPOINTS");
        assertError(send("GET", "/v1/admin/sources/nobody", null), 404, "no source named 'nobody'");
    }

    void assertError(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(read(r.body()).path("error").asText()).contains(message);
    }
}
