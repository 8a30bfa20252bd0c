package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.integration.Actions;
import io.gridsync.core.integration.Integration;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.http.ApiKeys;
import io.gridsync.server.HubConfig;
import io.gridsync.server.collect.WriteKeys;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.Database;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API over real HTTP, on a real database (each subclass picks SQLite or PostgreSQL),
 * with the SendGrid emulator behind the credentials test. Every response body of every test is
 * checked for the raw API keys the test used.
 */
abstract class AdminApiContract {

    static final ObjectMapper M = new ObjectMapper();
    static final String GOOD_KEY = "SG.good.full-access-key-7781";
    static final String MAIL_ONLY_KEY = "SG.mail.only-send-key-5512";
    static final String REFUSED_KEY = "SG.refused.by-the-emulator-0042";
    static final String ROTATED_KEY = "SG.rotated.second-key-9903";
    static final List<String> RAW_KEYS = List.of(GOOD_KEY, MAIL_ONLY_KEY, REFUSED_KEY, ROTATED_KEY);

    static Emulator emulator;

    @TempDir
    Path dataDir;

    Database db;
    IntegrationStore store;
    PrometheusMeterRegistry registry;
    Javalin app;
    String token;
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());

    /** A fresh, migrated database for one test. */
    abstract Database newDatabase(Path dataDir) throws Exception;

    @BeforeAll
    static void startEmulator() {
        emulator = Emulator.start(new EmulatorConfig().port(0)
                .apiKey(GOOD_KEY, ApiKeys.ALL_SCOPES)
                .apiKey(MAIL_ONLY_KEY, Set.of("mail.send")));
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void start() throws Exception {
        db = newDatabase(dataDir);
        HubConfig config = HubConfig.defaults(dataDir, 0);
        SecretBox box = SecretBox.open(config);
        store = new IntegrationStore(db, box);
        token = AdminToken.resolve(config, db, box);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("gridsync_admin_test_meter").increment(3);
        app = Javalin.create();
        new AdminApi(store, new WriteKeys(db), db, token,
                new io.gridsync.server.security.OutboundEndpoints(java.util.List.of("http://127.0.0.1:*")), registry).register(app);
        app.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
        db.close();
        for (String body : bodies) {
            for (String key : RAW_KEYS) {
                assertThat(body).as("a response body").doesNotContain(key);
            }
        }
    }

    // ---- HTTP helpers ----------------------------------------------------------------------------

    record Resp(int status, String text, JsonNode json, HttpResponse<String> raw) {}

    Resp call(String method, String path, Object body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        String text = body == null ? null : body instanceof String s ? s : M.writeValueAsString(body);
        b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        if (text != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        bodies.add(r.body());
        JsonNode json = null;
        if (r.body() != null && !r.body().isBlank() && r.headers().firstValue("Content-Type").orElse("").contains("json")) {
            json = M.readTree(r.body());
        }
        return new Resp(r.statusCode(), r.body(), json, r);
    }

    Resp admin(String method, String path, Object body) throws Exception {
        return call(method, path, body, token);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The install call of the integration catalog, as Datafly Signal users write it. */
    ObjectNode installBody(String name, String apiKey) {
        ObjectNode b = M.createObjectNode();
        b.put("name", name);
        b.put("variant", "marketing");
        ObjectNode config = b.putObject("config");
        config.put("api_key", apiKey);
        config.put("default_list_id", "list-0001");
        config.put("endpoint", emulator.baseUrl());
        config.put("consent_category", "newsletter");
        config.put("create_missing_fields", true);
        ObjectNode email = config.putObject("email");
        email.put("event", "Signed Up");
        email.put("template_id", "d-2c214ac919e84170b21855cc129b4a5f");
        email.putObject("from").put("email", "hello@shop.example").put("name", "Shop");
        b.put("delivery_mode", "server_side");
        return b;
    }

    String install(String name, String apiKey) throws Exception {
        Resp r = admin("POST", "/v1/admin/integration-catalog/sendgrid/install", installBody(name, apiKey));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    // ---- tests -----------------------------------------------------------------------------------

    @Test
    void installListGetUpdateAndDeleteAnIntegration() throws Exception {
        Resp created = admin("POST", "/v1/admin/integration-catalog/sendgrid/install", installBody("sendgrid-prod", GOOD_KEY));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode i = created.json();
        String id = i.path("id").asText();
        assertThat(id).startsWith("int_");
        assertThat(created.raw().headers().firstValue("Location")).hasValue("/v1/admin/integrations/" + id);
        assertThat(i.path("name").asText()).isEqualTo("sendgrid-prod");
        assertThat(i.path("variant").asText()).isEqualTo("marketing");
        assertThat(i.path("delivery_mode").asText()).isEqualTo("server_side");
        assertThat(i.path("enabled").asBoolean()).isTrue();
        assertThat(i.at("/config/api_key").asText()).isEqualTo("SG.****7781");
        assertThat(i.at("/config/default_list_id").asText()).isEqualTo("list-0001");
        assertThat(i.at("/config/consent_category").asText()).isEqualTo("newsletter");
        assertThat(i.at("/config/create_missing_fields").asBoolean()).isTrue();
        assertThat(i.at("/config/endpoint").asText()).isEqualTo(emulator.baseUrl());
        assertThat(i.at("/config/email/event").asText()).isEqualTo("Signed Up");
        // installed without subscriptions: the presets are stored, email included
        List<String> actions = new ArrayList<>();
        i.path("subscriptions").forEach(s -> actions.add(s.path("action").asText()));
        assertThat(actions).containsExactly("upsert_contact", "sync_audience", "update_contact_fields", "send_email");
        assertThat(i.at("/subscriptions/3/name").asText()).isEqualTo("Email on Signed Up");
        assertThat(i.at("/subscriptions/3/mapping/template_id").asText()).isEqualTo("d-2c214ac919e84170b21855cc129b4a5f");

        String second = install("sendgrid-eu", MAIL_ONLY_KEY);
        Resp list = admin("GET", "/v1/admin/integrations", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("integrations")).hasSize(2);
        assertThat(list.json().at("/integrations/0/id").asText()).isEqualTo(id);
        assertThat(list.json().at("/integrations/1/config/api_key").asText()).isEqualTo("SG.****5512");

        Resp got = admin("GET", "/v1/admin/integrations/" + id, null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().path("name").asText()).isEqualTo("sendgrid-prod");

        Resp patched = admin("PATCH", "/v1/admin/integrations/" + id,
                M.readTree("{\"enabled\":false,\"config\":{\"default_list_id\":\"list-0002\",\"consent_category\":\"marketing\"}}"));
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().path("enabled").asBoolean()).isFalse();
        assertThat(patched.json().at("/config/default_list_id").asText()).isEqualTo("list-0002");
        assertThat(patched.json().at("/config/consent_category").asText()).isEqualTo("marketing");
        assertThat(patched.json().at("/config/api_key").asText()).isEqualTo("SG.****7781");

        Resp cleared = admin("PATCH", "/v1/admin/integrations/" + id, M.readTree("{\"default_list_id\":null}"));
        assertThat(cleared.json().at("/config/default_list_id").isNull()).isTrue();

        Integration core = store.toCore(id);
        assertThat(core.name()).isEqualTo("sendgrid-prod");
        assertThat(core.endpoint()).isEqualTo(emulator.baseUrl());
        assertThat(core.consentCategory()).isEqualTo("marketing");
        assertThat(core.defaultListId()).isNull();
        assertThat(core.createMissingFields()).isTrue();
        assertThat(Actions.compile(core)).hasSize(4);
        assertThat(store.apiKey(id).reveal()).isEqualTo(GOOD_KEY);

        Resp deleted = admin("DELETE", "/v1/admin/integrations/" + id, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(admin("GET", "/v1/admin/integrations/" + id, null).status()).isEqualTo(404);
        assertThat(admin("GET", "/v1/admin/integrations/" + id + "/subscriptions", null).status()).isEqualTo(404);
        assertThat(admin("DELETE", "/v1/admin/integrations/" + id, null).status()).isEqualTo(404);
        assertThat(store.subscriptions(id)).isEmpty();
        assertThat(admin("GET", "/v1/admin/integrations", null).json().path("integrations")).hasSize(1);
        assertThat(admin("GET", "/v1/admin/integrations/" + second, null).status()).isEqualTo(200);
    }

    @Test
    void installRefusesWhatCannotWorkWithAMessageThatSaysWhatToChange() throws Exception {
        install("taken", GOOD_KEY);
        String path = "/v1/admin/integration-catalog/sendgrid/install";

        Resp dup = admin("POST", path, installBody("taken", GOOD_KEY));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.json().path("error").asText()).contains("'taken' already exists");

        ObjectNode noKey = installBody("no-key", GOOD_KEY);
        ((ObjectNode) noKey.get("config")).remove("api_key");
        Resp r = admin("POST", path, noKey);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).contains("config.api_key is required");

        ObjectNode clientSide = installBody("client", GOOD_KEY).put("delivery_mode", "client_side");
        r = admin("POST", path, clientSide);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).contains("'client_side' is not supported").contains("server_side");

        ObjectNode badEndpoint = installBody("bad-endpoint", GOOD_KEY);
        ((ObjectNode) badEndpoint.get("config")).put("endpoint", "sendgrid somewhere");
        r = admin("POST", path, badEndpoint);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).contains("endpoint 'sendgrid somewhere'").contains("global, eu");

        ObjectNode typo = installBody("typo", GOOD_KEY);
        ((ObjectNode) typo.get("config")).put("apikey", GOOD_KEY);
        r = admin("POST", path, typo);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).contains("unknown field config.apikey");

        r = admin("POST", path, installBody("no-name", GOOD_KEY).put("name", " "));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).contains("name is required");

        // the key sits in a body that is not JSON: the error gives the place, never the text
        r = admin("POST", path, "{\"name\":\"x\",\"config\":{\"api_key\": " + GOOD_KEY + "}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).startsWith("the body is not valid JSON (line 1");

        r = admin("POST", "/v1/admin/integration-catalog/mailchimp/install", installBody("m", GOOD_KEY));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("error").asText()).contains("sendgrid");

        ObjectNode badSub = installBody("bad-sub", GOOD_KEY);
        badSub.putArray("subscriptions").addObject().put("name", "Broken").put("trigger", "type = identify")
                .put("action", "upsert_contact");
        r = admin("POST", path, badSub);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).startsWith("subscription 'Broken': trigger");

        assertThat(admin("GET", "/v1/admin/integrations", null).json().path("integrations")).hasSize(1);
    }

    @Test
    void concurrentInstallsOfOneNameMakeOneIntegrationAndNoneFails() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Resp>> same = new ArrayList<>();
            List<java.util.concurrent.Future<Resp>> distinct = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                same.add(pool.submit(() -> admin("POST", "/v1/admin/integration-catalog/sendgrid/install", installBody("race", GOOD_KEY))));
                distinct.add(pool.submit(() -> admin("POST", "/v1/admin/integration-catalog/sendgrid/install",
                        installBody("own-" + n, GOOD_KEY))));
            }
            List<Integer> sameStatuses = new ArrayList<>();
            for (var f : same) {
                sameStatuses.add(f.get().status());
            }
            assertThat(sameStatuses).containsExactlyInAnyOrder(201, 409, 409, 409);
            for (var f : distinct) {
                assertThat(f.get().status()).as(f.get().text()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.list()).hasSize(5);
        for (var i : store.list()) {
            assertThat(store.subscriptions(i.id())).hasSize(4);
        }
    }

    @Test
    void apiKeysAreSealedAtRestAndRotationReplacesThem() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        store.onChange(changes::incrementAndGet);
        String id = install("sealed", GOOD_KEY);
        assertThat(changes.get()).isEqualTo(1);

        String sealedBefore = rawColumn(id, "api_key_sealed");
        assertThat(sealedBefore).startsWith("v1:");
        assertRowHoldsNoRawKey(id);

        long version = store.version();
        Resp rotated = admin("PATCH", "/v1/admin/integrations/" + id, M.readTree("{\"config\":{\"api_key\":\"" + ROTATED_KEY + "\"}}"));
        assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
        assertThat(rotated.json().at("/config/api_key").asText()).isEqualTo("SG.****9903");
        assertThat(store.version()).isEqualTo(version + 1);
        assertThat(changes.get()).isEqualTo(2);
        assertThat(store.apiKey(id).reveal()).isEqualTo(ROTATED_KEY);
        assertThat(rawColumn(id, "api_key_sealed")).startsWith("v1:").isNotEqualTo(sealedBefore);
        assertRowHoldsNoRawKey(id);

        Resp empty = admin("PATCH", "/v1/admin/integrations/" + id, M.readTree("{\"api_key\":\"\"}"));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("error").asText()).contains("api_key cannot be removed");
        Resp twice = admin("PATCH", "/v1/admin/integrations/" + id,
                M.readTree("{\"api_key\":\"" + GOOD_KEY + "\",\"config\":{\"api_key\":\"" + GOOD_KEY + "\"}}"));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(store.apiKey(id).reveal()).isEqualTo(ROTATED_KEY);
    }

    @Test
    void subscriptionsCanBeListedAddedReplacedAndDeletedAndBadOnesAreRefusedByName() throws Exception {
        String id = install("subs", GOOD_KEY);
        String base = "/v1/admin/integrations/" + id + "/subscriptions";

        Resp list = admin("GET", base, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("subscriptions")).hasSize(4);

        Resp bad = admin("POST", base, M.readTree(
                "{\"name\":\"Plan to contact\",\"trigger\":\"type = identify\",\"action\":\"upsert_contact\"}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").asText()).startsWith("subscription 'Plan to contact': trigger 'type = identify'");

        Resp badMapping = admin("POST", base, M.readTree("{\"name\":\"Plan to contact\",\"trigger\":\"type = \\\"identify\\\"\","
                + "\"action\":\"upsert_contact\",\"mapping\":{\"customFields\":{\"plan\":{\"@pth\":\"$.traits.plan\"}}}}"));
        assertThat(badMapping.status()).isEqualTo(400);
        assertThat(badMapping.json().path("error").asText()).startsWith("subscription 'Plan to contact':").contains("@pth");

        Resp unknownAction = admin("POST", base, M.readTree("{\"name\":\"X\",\"trigger\":\"type = \\\"track\\\"\",\"action\":\"upsert\"}"));
        assertThat(unknownAction.status()).isEqualTo(400);
        assertThat(unknownAction.json().path("error").asText()).contains("subscription 'X'").contains("unknown action 'upsert'");

        long version = store.version();
        Resp added = admin("POST", base, M.readTree("{\"name\":\"Plan to contact\",\"trigger\":\"type = \\\"identify\\\"\","
                + "\"action\":\"upsert_contact\",\"mapping\":{\"customFields\":{\"plan\":{\"@path\":\"$.traits.plan\"}}}}"));
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        assertThat(store.version()).isGreaterThan(version);
        assertThat(admin("POST", base, added.json()).status()).isEqualTo(409);

        String one = base + "/" + enc("Plan to contact");
        Resp got = admin("GET", one, null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().at("/mapping/customFields/plan/@path").asText()).isEqualTo("$.traits.plan");

        Resp replaced = admin("PUT", one, M.readTree("{\"trigger\":\"type = \\\"identify\\\" and traits.plan exists\","
                + "\"action\":\"upsert_contact\",\"enabled\":false}"));
        assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
        assertThat(replaced.json().path("enabled").asBoolean()).isFalse();
        assertThat(replaced.json().path("mapping").isNull()).isTrue();

        Resp badPut = admin("PUT", one, M.readTree("{\"trigger\":\"(type = \\\"identify\\\"\",\"action\":\"upsert_contact\"}"));
        assertThat(badPut.status()).isEqualTo(400);
        assertThat(badPut.json().path("error").asText()).startsWith("subscription 'Plan to contact': trigger").contains("missing )");
        Resp renamed = admin("PUT", one, M.readTree("{\"name\":\"Other\",\"trigger\":\"type = \\\"identify\\\"\",\"action\":\"upsert_contact\"}"));
        assertThat(renamed.status()).isEqualTo(400);

        Resp createdByPut = admin("PUT", base + "/Erasure", M.readTree(
                "{\"trigger\":\"type = \\\"track\\\" and event = \\\"Erasure Requested\\\"\",\"action\":\"delete_contact\"}"));
        assertThat(createdByPut.status()).isEqualTo(201);

        List<String> names = new ArrayList<>();
        admin("GET", base, null).json().path("subscriptions").forEach(s -> names.add(s.path("name").asText()));
        assertThat(names).containsExactly("Identify to contact", "Engage audiences to lists", "Behaviour to contact fields",
                "Email on Signed Up", "Plan to contact", "Erasure");
        assertThat(store.toCore(id).subscriptions()).hasSize(6);
        assertThat(Actions.compile(store.toCore(id))).hasSize(5); // the disabled one is not run

        assertThat(admin("DELETE", one, null).status()).isEqualTo(204);
        assertThat(admin("GET", one, null).status()).isEqualTo(404);
        assertThat(admin("DELETE", one, null).status()).isEqualTo(404);
        assertThat(admin("GET", "/v1/admin/integrations/int_nope/subscriptions", null).status()).isEqualTo(404);
        assertThat(store.subscriptions(id)).hasSize(5);
    }

    @Test
    void credentialsTestAsksSendGridForTheKeysScopes() throws Exception {
        String good = install("good", GOOD_KEY);
        Resp ok = admin("POST", "/v1/admin/integrations/" + good + "/test", null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("ok").asBoolean()).as(ok.text()).isTrue();
        List<String> scopes = new ArrayList<>();
        ok.json().path("scopes").forEach(s -> scopes.add(s.asText()));
        assertThat(scopes).contains("mail.send", "marketing.read", "marketing.write");

        String refused = install("refused", REFUSED_KEY);
        Resp no = admin("POST", "/v1/admin/integrations/" + refused + "/test", null);
        assertThat(no.status()).isEqualTo(200);
        assertThat(no.json().path("ok").asBoolean()).isFalse();
        assertThat(no.json().path("error").asText()).isEqualTo("invalid credentials: SendGrid answered 401 authorization required");

        String mailOnly = install("mail-only", MAIL_ONLY_KEY);
        Resp partial = admin("POST", "/v1/admin/integrations/" + mailOnly + "/test", null);
        assertThat(partial.json().path("ok").asBoolean()).isFalse();
        List<String> missing = new ArrayList<>();
        partial.json().path("missing_scopes").forEach(s -> missing.add(s.asText()));
        assertThat(missing).containsExactly("marketing.read", "marketing.write");
        assertThat(partial.json().path("error").asText()).contains("marketing.write (sync_audience, update_contact_fields, upsert_contact)");

        // a mail-only integration needs only mail.send
        for (JsonNode s : admin("GET", "/v1/admin/integrations/" + mailOnly + "/subscriptions", null).json().path("subscriptions")) {
            if (!s.path("action").asText().equals("send_email")) {
                assertThat(admin("DELETE", "/v1/admin/integrations/" + mailOnly + "/subscriptions/" + enc(s.path("name").asText()), null)
                        .status()).isEqualTo(204);
            }
        }
        assertThat(admin("POST", "/v1/admin/integrations/" + mailOnly + "/test", null).json().path("ok").asBoolean()).isTrue();

        // rotating the refused key to a good one makes the test pass
        admin("PATCH", "/v1/admin/integrations/" + refused, M.readTree("{\"api_key\":\"" + GOOD_KEY + "\"}"));
        assertThat(admin("POST", "/v1/admin/integrations/" + refused + "/test", null).json().path("ok").asBoolean()).isTrue();

        assertThat(admin("POST", "/v1/admin/integrations/int_nope/test", null).status()).isEqualTo(404);
    }

    @Test
    void everyAdminRouteNeedsTheAdminToken() throws Exception {
        String id = install("guarded", GOOD_KEY);
        Resp wk = admin("POST", "/v1/admin/write-keys", M.readTree("{\"name\":\"web\"}"));
        String key = wk.json().path("write_key").asText();
        String sub = "/v1/admin/integrations/" + id + "/subscriptions";
        String subscription = "{\"trigger\":\"type = \\\"identify\\\"\",\"action\":\"upsert_contact\"}";
        List<String[]> routes = List.of(
                new String[]{"POST", "/v1/admin/integration-catalog/sendgrid/install", installBody("intruder", GOOD_KEY).toString()},
                new String[]{"GET", "/v1/admin/integrations", null},
                new String[]{"GET", "/v1/admin/integrations/" + id, null},
                new String[]{"PATCH", "/v1/admin/integrations/" + id, "{\"enabled\":false}"},
                new String[]{"DELETE", "/v1/admin/integrations/" + id, null},
                new String[]{"POST", "/v1/admin/integrations/" + id + "/test", null},
                new String[]{"GET", sub, null},
                new String[]{"POST", sub, "{\"name\":\"New\"," + subscription.substring(1)},
                new String[]{"GET", sub + "/" + enc("Identify to contact"), null},
                new String[]{"PUT", sub + "/" + enc("Identify to contact"), subscription},
                new String[]{"DELETE", sub + "/" + enc("Identify to contact"), null},
                new String[]{"GET", "/v1/admin/write-keys", null},
                new String[]{"POST", "/v1/admin/write-keys", "{}"},
                new String[]{"DELETE", "/v1/admin/write-keys/" + key, null},
                new String[]{"GET", "/v1/admin/no-such-route", null});
        for (String[] r : routes) {
            for (String bearer : new String[]{null, "wrong-token", token + "x", token.substring(1)}) {
                Resp resp = call(r[0], r[1], r[2], bearer);
                assertThat(resp.status()).as(r[0] + " " + r[1] + " with " + bearer).isEqualTo(401);
                assertThat(resp.json().path("error").asText()).isNotBlank();
                assertThat(resp.raw().headers().firstValue("WWW-Authenticate")).isPresent();
            }
            HttpRequest basic = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + r[1]))
                    .header("Authorization", "Basic " + token).method(r[0], HttpRequest.BodyPublishers.noBody()).build();
            assertThat(http.send(basic, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
        // nothing changed
        Resp after = admin("GET", "/v1/admin/integrations/" + id, null);
        assertThat(after.json().path("enabled").asBoolean()).isTrue();
        assertThat(after.json().path("subscriptions")).hasSize(4);
        assertThat(admin("GET", "/v1/admin/integrations", null).json().path("integrations")).hasSize(1);
        assertThat(admin("GET", "/v1/admin/write-keys", null).json().path("write_keys")).hasSize(1);
        assertThat(admin("GET", "/v1/admin/write-keys", null).json().at("/write_keys/0/revoked_at").isNull())
                .as(admin("GET", "/v1/admin/write-keys", null).json().toString()).isTrue();
        // the scheme is case-insensitive, as RFC 7235 says
        assertThat(call("GET", "/v1/admin/integrations", null, null).status()).isEqualTo(401);
        HttpRequest lower = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/admin/integrations"))
                .header("Authorization", "bearer " + token).GET().build();
        assertThat(http.send(lower, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void deletingAnIntegrationWithWaitingJobsNeedsForceAndDeadLettersThem() throws Exception {
        String id = install("busy", GOOD_KEY);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (integration_id, "
                + "subscription, action, person_key, message_seq, state, attempts, next_at, created_at, updated_at) "
                + "VALUES (?, 'Identify to contact', 'upsert_contact', 'u1', 1, 'pending', 0, 0, 0, 0)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        Resp refused = admin("DELETE", "/v1/admin/integrations/" + id, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error").asText()).contains("1 jobs waiting").contains("force=true");
        assertThat(admin("GET", "/v1/admin/integrations/" + id, null).status()).isEqualTo(200);

        Resp forced = admin("DELETE", "/v1/admin/integrations/" + id + "?force=true", null);
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.json().path("dead_lettered_jobs").asLong()).isEqualTo(1);
        try (Connection c = db.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT state, last_error FROM jobs")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("dead");
            assertThat(rs.getString(2)).isEqualTo("integration deleted before delivery");
        }
    }

    @Test
    void writeKeysAreCreatedListedAndRevoked() throws Exception {
        Resp created = admin("POST", "/v1/admin/write-keys", M.readTree("{\"name\":\"website\"}"));
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().path("write_key").asText();
        assertThat(key).startsWith("gs_wk_").matches("gs_wk_[A-Za-z0-9_-]{32}");
        Resp other = admin("POST", "/v1/admin/write-keys", null);
        assertThat(other.status()).isEqualTo(201);
        assertThat(other.json().path("name").asText()).isEqualTo("default");
        assertThat(other.json().path("write_key").asText()).isNotEqualTo(key);

        Resp list = admin("GET", "/v1/admin/write-keys", null);
        assertThat(list.json().path("write_keys")).hasSize(2);
        assertThat(list.json().at("/write_keys/0/name").asText()).isEqualTo("website");

        Resp revoked = admin("DELETE", "/v1/admin/write-keys/" + key, null);
        assertThat(revoked.status()).isEqualTo(200);
        String at = revoked.json().path("revoked_at").asText();
        assertThat(at).isNotBlank();
        assertThat(admin("DELETE", "/v1/admin/write-keys/" + key, null).json().path("revoked_at").asText()).isEqualTo(at);
        assertThat(admin("DELETE", "/v1/admin/write-keys/gs_wk_unknown", null).status()).isEqualTo(404);
        assertThat(admin("POST", "/v1/admin/write-keys", M.readTree("{\"nam\":\"x\"}")).status()).isEqualTo(400);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT revoked_at FROM write_keys WHERE write_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isPositive();
            }
        }
    }

    @Test
    void theAdminTokenIsGeneratedOnceAndKeptSealed() throws Exception {
        assertThat(token).startsWith("gs_admin_").hasSizeGreaterThan(40);
        HubConfig config = HubConfig.defaults(dataDir, 0);
        SecretBox box = SecretBox.open(config);
        assertThat(AdminToken.resolve(config, db, box)).isEqualTo(token);
        try (Connection c = db.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM settings WHERE name = '" + AdminToken.SETTING + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("v1:").doesNotContain(token);
        }
        HubConfig configured = config.withEnvironment(java.util.Map.of("GRIDSYNC_ADMIN_TOKEN", "from-the-environment"));
        assertThat(AdminToken.resolve(configured, db, box)).isEqualTo("from-the-environment");
    }

    @Test
    void healthAndMetricsAnswerWithoutAuth() throws Exception {
        Resp health = call("GET", "/healthz", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json()).isEqualTo(M.readTree("{\"status\":\"ok\",\"components\":{\"database\":{\"status\":\"ok\"}}}"));

        Resp metrics = call("GET", "/metrics", null, null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.text()).contains("gridsync_admin_test_meter_total 3.0");

        db.close();
        Resp down = call("GET", "/healthz", null, null);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().path("status").asText()).isEqualTo("unavailable");
        assertThat(down.json().path("message").asText()).isEqualTo("not ok: database");
        assertThat(down.json().path("components").path("database").path("status").asText()).isEqualTo("failing");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private String rawColumn(String id, String column) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM integrations WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** Reads the whole row, and the settings table, as the database holds them. */
    private void assertRowHoldsNoRawKey(String id) throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            for (String sql : List.of("SELECT * FROM integrations", "SELECT * FROM subscriptions", "SELECT * FROM settings")) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            String v = rs.getString(i);
                            for (String key : RAW_KEYS) {
                                assertThat(v == null ? "" : v).as(sql + " column " + md.getColumnName(i)).doesNotContain(key)
                                        .doesNotContain(key.substring(3));
                            }
                        }
                    }
                }
            }
        }
        assertThat(id).isNotBlank();
    }
}
