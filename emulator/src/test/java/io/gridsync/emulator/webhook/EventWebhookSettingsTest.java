package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sendgrid.Client;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.http.ApiKeys;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Event Webhook settings API: SendGrid's multi-webhook endpoints and the legacy single-webhook ones. */
class EventWebhookSettingsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SETTINGS = "/v3/user/webhooks/event/settings";

    private Emulator emulator;
    private SendGridHttp sg;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private void start(EmulatorConfig config) {
        emulator = Emulator.start(config.port(0));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
    }

    /** The legacy endpoints are not in SendGrid's OpenAPI file; users reach them through the official client. */
    private Response legacy(Method method, String endpoint, String body) throws IOException {
        SendGrid client = new SendGrid("SG.test", new Client(true));
        client.setHost("127.0.0.1:" + emulator.port());
        Request r = new Request();
        r.setMethod(method);
        r.setEndpoint(endpoint);
        if (body != null) {
            r.setBody(body);
        }
        return client.api(r);
    }

    static ECPublicKey parsePublicKey(String base64) throws Exception {
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    @Test
    void aFreshAccountHasADisabledLegacyWebhookThatPatchSetsUp() throws Exception {
        start(new EmulatorConfig());
        JsonNode fresh = MAPPER.readTree(legacy(Method.GET, "user/webhooks/event/settings", null).getBody());
        assertThat(fresh.get("enabled").asBoolean()).isFalse();
        assertThat(fresh.get("url").asText()).isEmpty();
        assertThat(fresh.get("delivered").asBoolean()).isFalse();

        Response patched = legacy(Method.PATCH, "user/webhooks/event/settings",
                "{\"enabled\": true, \"url\": \"https://example.com/events\", \"delivered\": true, \"bounce\": true}");
        assertThat(patched.getStatusCode()).isEqualTo(200);

        JsonNode now = MAPPER.readTree(legacy(Method.GET, "user/webhooks/event/settings", null).getBody());
        assertThat(now.get("enabled").asBoolean()).isTrue();
        assertThat(now.get("url").asText()).isEqualTo("https://example.com/events");
        assertThat(now.get("delivered").asBoolean()).isTrue();
        assertThat(now.get("bounce").asBoolean()).isTrue();
        assertThat(now.get("open").asBoolean()).isFalse();
        for (String type : new String[]{"processed", "deferred", "dropped", "click", "spam_report", "unsubscribe",
                "group_unsubscribe", "group_resubscribe"}) {
            assertThat(now.has(type)).as(type).isTrue();
        }

        // a second legacy PATCH changes the same webhook: only the given settings change
        legacy(Method.PATCH, "user/webhooks/event/settings", "{\"open\": true}");
        JsonNode all = sg.get(SETTINGS + "/all").json();
        assertThat(all.get("webhooks")).hasSize(1);
        assertThat(all.at("/webhooks/0/open").asBoolean()).isTrue();
        assertThat(all.at("/webhooks/0/delivered").asBoolean()).isTrue();
        sg.assertConforms();
    }

    @Test
    void legacySigningReturnsAP256PublicKeyAndTurnsOff() throws Exception {
        start(new EmulatorConfig());
        legacy(Method.PATCH, "user/webhooks/event/settings", "{\"enabled\": true, \"url\": \"https://example.com/events\"}");

        JsonNode before = MAPPER.readTree(legacy(Method.GET, "user/webhooks/event/settings/signed", null).getBody());
        assertThat(before.get("public_key").asText()).isEmpty();

        JsonNode on = MAPPER.readTree(legacy(Method.PATCH, "user/webhooks/event/settings/signed", "{\"enabled\": true}").getBody());
        String key = on.get("public_key").asText();
        assertThat(key).startsWith("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"); // X.509 SubjectPublicKeyInfo, EC, prime256v1
        assertThat(parsePublicKey(key).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);

        JsonNode get = MAPPER.readTree(legacy(Method.GET, "user/webhooks/event/settings/signed", null).getBody());
        assertThat(get.get("public_key").asText()).isEqualTo(key);
        assertThat(MAPPER.readTree(legacy(Method.GET, "user/webhooks/event/settings", null).getBody()).get("public_key").asText())
                .isEqualTo(key);

        JsonNode off = MAPPER.readTree(legacy(Method.PATCH, "user/webhooks/event/settings/signed", "{\"enabled\": false}").getBody());
        assertThat(off.get("public_key").asText()).isEmpty();
    }

    @Test
    void webhooksAreCreatedListedUpdatedAndDeletedById() {
        start(new EmulatorConfig());
        SendGridHttp.Response created = sg.post(SETTINGS, "{\"enabled\": true, \"url\": \"https://example.com/a\", "
                + "\"delivered\": true, \"open\": true, \"friendly_name\": \"Engagement\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(created.json().get("friendly_name").asText()).isEqualTo("Engagement");
        assertThat(created.json().get("created_date").asText()).endsWith("Z");
        assertThat(created.json().get("processed").asBoolean()).isFalse();

        SendGridHttp.Response second = sg.post(SETTINGS, "{\"enabled\": false, \"url\": \"https://example.com/b\", \"bounce\": true}");
        assertThat(second.status()).isEqualTo(201);

        JsonNode all = sg.get(SETTINGS + "/all").json();
        assertThat(all.get("max_allowed").asInt()).isEqualTo(5);
        assertThat(all.get("webhooks")).hasSize(2);
        assertThat(all.at("/webhooks/0/id").asText()).isEqualTo(id);
        assertThat(all.at("/webhooks/0/public_key").isMissingNode()).isTrue();

        SendGridHttp.Response one = sg.get(SETTINGS + "/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("url").asText()).isEqualTo("https://example.com/a");

        SendGridHttp.Response updated = sg.patch(SETTINGS + "/" + id, "{\"url\": \"https://example.com/a2\", \"click\": true, \"open\": false}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("click").asBoolean()).isTrue();
        assertThat(updated.json().get("open").asBoolean()).isFalse();
        assertThat(updated.json().get("delivered").asBoolean()).isTrue();
        assertThat(updated.json().get("friendly_name").asText()).isEqualTo("Engagement");

        assertThat(sg.delete(SETTINGS + "/" + id).status()).isEqualTo(204);
        SendGridHttp.Response gone = sg.get(SETTINGS + "/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().at("/errors/0/message").asText()).isEqualTo("Invalid id provided.");
        assertThat(sg.delete(SETTINGS + "/" + id).status()).isEqualTo(404);
        assertThat(sg.get(SETTINGS + "/all").json().get("webhooks")).hasSize(1);
        sg.assertConforms();
    }

    @Test
    void urlsMustBeValidAndUniqueAndAnAccountHasAtMostFiveWebhooks() {
        start(new EmulatorConfig());
        SendGridHttp.Response invalid = sg.post(SETTINGS, "{\"url\": \"example.com/hook\"}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().at("/errors/0/message").asText()).isEqualTo("'example.com/hook' is not a valid url");

        String first = sg.post(SETTINGS, "{\"url\": \"https://example.com/1\"}").json().get("id").asText();
        SendGridHttp.Response taken = sg.post(SETTINGS, "{\"url\": \"https://example.com/1\"}");
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.json().at("/errors/0/id").asText()).isEqualTo(first);
        assertThat(taken.json().at("/errors/0/url").asText()).isEqualTo("https://example.com/1");
        assertThat(taken.json().at("/errors/0/message").asText()).contains("already exists. Please provide a unique URL.");

        for (int i = 2; i <= 5; i++) {
            assertThat(sg.post(SETTINGS, "{\"url\": \"https://example.com/" + i + "\"}").status()).isEqualTo(201);
        }
        SendGridHttp.Response sixth = sg.post(SETTINGS, "{\"url\": \"https://example.com/6\"}");
        assertThat(sixth.status()).isEqualTo(400);
        assertThat(sixth.json().at("/errors/0/message").asText()).contains("maximum number of webhooks");

        SendGridHttp.Response notBoolean = sg.patch(SETTINGS + "/" + first, "{\"url\": \"https://example.com/1\", \"open\": \"yes\"}");
        assertThat(notBoolean.status()).isEqualTo(400);
        assertThat(notBoolean.json().at("/errors/0/field").asText()).isEqualTo("open");
        sg.assertConforms();
    }

    @Test
    void signingIsToggledPerWebhookAndTheKeyIsListed() throws Exception {
        start(new EmulatorConfig());
        String id = sg.post(SETTINGS, "{\"enabled\": true, \"url\": \"https://example.com/signed\"}").json().get("id").asText();

        assertThat(sg.get(SETTINGS + "/signed/" + id).json().get("public_key").asText()).isEmpty();
        SendGridHttp.Response on = sg.patch(SETTINGS + "/signed/" + id, "{\"enabled\": true}");
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.json().get("id").asText()).isEqualTo(id);
        String key = on.json().get("public_key").asText();
        assertThat(parsePublicKey(key).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);

        assertThat(sg.get(SETTINGS + "/signed/" + id).json().get("public_key").asText()).isEqualTo(key);
        assertThat(sg.get(SETTINGS + "/" + id).json().get("public_key").asText()).isEqualTo(key);
        assertThat(sg.get(SETTINGS + "/all").json().at("/webhooks/0/public_key").asText()).isEqualTo(key);
        // enabling again keeps the key; off and on again issues a new one
        assertThat(sg.patch(SETTINGS + "/signed/" + id, "{\"enabled\": true}").json().get("public_key").asText()).isEqualTo(key);
        assertThat(sg.patch(SETTINGS + "/signed/" + id, "{\"enabled\": false}").json().get("public_key").asText()).isEmpty();
        assertThat(sg.patch(SETTINGS + "/signed/" + id, "{\"enabled\": true}").json().get("public_key").asText()).isNotEqualTo(key);

        assertThat(sg.get(SETTINGS + "/signed/no-such-id").status()).isEqualTo(404);
        assertThat(sg.patch(SETTINGS + "/signed/no-such-id", "{\"enabled\": true}").status()).isEqualTo(404);
        sg.assertConforms();
    }

    @Test
    void oauthSettingsGoTogetherAndTheSecretIsNeverReturned() {
        start(new EmulatorConfig());
        SendGridHttp.Response half = sg.post(SETTINGS, "{\"url\": \"https://example.com/o\", \"oauth_client_id\": \"abc\"}");
        assertThat(half.status()).isEqualTo(400);
        assertThat(half.json().at("/errors/0/field").asText()).isEqualTo("oauth_token_url");

        SendGridHttp.Response full = sg.post(SETTINGS, "{\"url\": \"https://example.com/o\", \"oauth_client_id\": \"abc\", "
                + "\"oauth_client_secret\": \"s3cret\", \"oauth_token_url\": \"https://auth.example.com/token\"}");
        assertThat(full.status()).isEqualTo(201);
        assertThat(full.json().get("oauth_client_id").asText()).isEqualTo("abc");
        assertThat(full.text()).doesNotContain("s3cret");
        assertThat(sg.get(SETTINGS + "/all").text()).doesNotContain("s3cret");
        sg.assertConforms();
    }

    @Test
    void theWebhookUrlFromTheCommandLineIsAnEnabledSignedWebhookForEveryEventAndSurvivesAReset() {
        start(new EmulatorConfig().webhookUrl("http://127.0.0.1:9/events"));
        JsonNode all = sg.get(SETTINGS + "/all").json();
        assertThat(all.get("webhooks")).hasSize(1);
        JsonNode w = all.at("/webhooks/0");
        assertThat(w.get("url").asText()).isEqualTo("http://127.0.0.1:9/events");
        assertThat(w.get("enabled").asBoolean()).isTrue();
        for (EventType t : EventType.values()) {
            assertThat(w.get(t.setting).asBoolean()).as(t.setting).isTrue();
        }
        String key = w.get("public_key").asText();
        SendGridHttp admin = new SendGridHttp(emulator.baseUrl(), null);
        assertThat(admin.get("/_emulator/webhook/public-key").json().get("public_key").asText()).isEqualTo(key);

        assertThat(admin.post("/_emulator/reset", "").status()).isEqualTo(204);
        JsonNode afterReset = sg.get(SETTINGS + "/all").json();
        assertThat(afterReset.get("webhooks")).hasSize(1);
        assertThat(afterReset.at("/webhooks/0/url").asText()).isEqualTo("http://127.0.0.1:9/events");
        sg.assertConforms();
    }

    @Test
    void webhooksAndTheirKeysSurviveARestartWithAStateFile() throws IOException {
        Path file = Files.createTempDirectory("emu-webhooks").resolve("state.json");
        start(new EmulatorConfig().stateFile(file));
        String id = sg.post(SETTINGS, "{\"enabled\": true, \"url\": \"https://example.com/kept\"}").json().get("id").asText();
        String key = sg.patch(SETTINGS + "/signed/" + id, "{\"enabled\": true}").json().get("public_key").asText();
        emulator.close();

        start(new EmulatorConfig().stateFile(file));
        assertThat(sg.get(SETTINGS + "/signed/" + id).json().get("public_key").asText()).isEqualTo(key);
        assertThat(sg.get(SETTINGS + "/" + id).json().get("url").asText()).isEqualTo("https://example.com/kept");
        sg.assertConforms();
    }

    @Test
    void readingNeedsTheReadScopeAndChangingTheUpdateScope() {
        start(new EmulatorConfig()
                .apiKey("SG.full", ApiKeys.ALL_SCOPES)
                .apiKey("SG.reader", Set.of("user.webhooks.event.settings.read")));
        SendGridHttp reader = sg.withKey("SG.reader");
        assertThat(reader.get(SETTINGS + "/all").status()).isEqualTo(200);
        assertThat(reader.post(SETTINGS, "{\"url\": \"https://example.com/x\"}").status()).isEqualTo(403);
        assertThat(sg.withKey("SG.full").post(SETTINGS, "{\"url\": \"https://example.com/x\"}").status()).isEqualTo(201);
    }
}
