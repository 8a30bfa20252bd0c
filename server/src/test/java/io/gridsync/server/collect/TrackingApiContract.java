package io.gridsync.server.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import io.gridsync.server.journal.Journal;
import io.gridsync.server.journal.JournalEntry;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.TestDatabases;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The tracking API over real HTTP on one database kind. */
abstract class TrackingApiContract {

    static final ObjectMapper M = new ObjectMapper();

    abstract TestDatabases databases();

    Database db;
    Journal journal;
    WriteKeys keys;
    SimpleMeterRegistry registry;
    Javalin app;
    String base;
    String key;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        db = databases().open(databases().create());
        startHub(new Journal(db, Duration.ofHours(24)));
        key = keys.create("test source");
    }

    void startHub(Journal j) {
        journal = j;
        keys = new WriteKeys(db);
        registry = new SimpleMeterRegistry();
        app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        new TrackingApi(journal, keys, registry).register(app);
        app.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        app.stop();
        journal.close();
        db.close();
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

    Reply send(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : M.readTree(r.body()), r);
    }

    /** With the write key as the HTTP Basic username, as analytics-node sends it. */
    Reply post(String path, Object json) throws Exception {
        return send(path, bytes(json), "Authorization", basic(key));
    }

    static byte[] bytes(Object json) throws Exception {
        return json instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : M.writeValueAsBytes(json);
    }

    static String basic(String writeKey) {
        return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode msg(String type) {
        ObjectNode m = M.createObjectNode().put("type", type).put("userId", "u1");
        switch (type) {
            case "identify" -> m.putObject("traits").put("email", "ada@example.com");
            case "track" -> m.put("event", "Order Completed").putObject("properties").put("total", 10);
            case "page", "screen" -> m.put("name", "Home");
            case "group" -> m.put("groupId", "g1").putObject("traits").put("name", "Acme");
            case "alias" -> m.put("previousId", "anon-7");
            default -> throw new IllegalArgumentException(type);
        }
        return m;
    }

    static ObjectNode batch(ObjectNode... messages) {
        ObjectNode b = M.createObjectNode();
        ArrayNode a = b.putArray("batch");
        for (ObjectNode m : messages) {
            a.add(m);
        }
        return b;
    }

    List<JournalEntry> journaled() {
        return journal.readAfter(0, 100_000);
    }

    static void poll(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(10);
        }
    }

    void assertOk(Reply r) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(M.createObjectNode().put("success", true));
    }

    void assertRejected(Reply r, int status, String errorContains) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(status);
        assertThat(r.body().get("success").asBoolean(true)).isFalse();
        assertThat(r.body().get("error").asText()).contains(errorContains);
    }

    double rejected(RejectReason reason) {
        return registry.get("gridsync.collect.requests.rejected").tag("reason", reason.tag()).counter().count();
    }

    // ---- endpoints

    @Test
    void everySingleMessageEndpointAcceptsAndJournalsWithAndWithoutATrailingSlash() throws Exception {
        for (String type : MessageRules.TYPES) {
            assertOk(post("/v1/" + type, msg(type)));
            ObjectNode noType = msg(type);
            noType.remove("type"); // the endpoint says what it is
            assertOk(post("/v1/" + type + "/", noType));
        }
        List<JournalEntry> entries = journaled();
        assertThat(entries).extracting(JournalEntry::type).containsExactly(
                "identify", "identify", "track", "track", "page", "page", "screen", "screen", "group", "group", "alias", "alias");
        assertThat(entries).extracting(JournalEntry::writeKey).containsOnly(key);
        assertThat(entries).extracting(JournalEntry::personKey).containsOnly("user:u1");
        assertThat(entries.get(0).body().at("/traits/email").asText()).isEqualTo("ada@example.com");
        assertThat(entries.get(2).body().get("event").asText()).isEqualTo("Order Completed");
        assertThat(entries).allSatisfy(e -> assertThat(e.body().get("receivedAt").asText()).isNotBlank());
        assertThat(registry.get("gridsync.collect.events.accepted").counter().count()).isEqualTo(12);
    }

    @Test
    void trailingSlashesWorkWhenTheHubMatchesPathsStrictly() throws Exception {
        Javalin strict = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.router.ignoreTrailingSlashes = false;
        });
        new TrackingApi(journal, keys, registry).register(strict);
        strict.start("127.0.0.1", 0);
        String normal = base;
        try {
            base = "http://127.0.0.1:" + strict.port();
            assertOk(post("/v1/import/", batch(msg("track"))));
            assertOk(post("/v1/import", batch(msg("track"))));
            assertOk(post("/v1/identify/", msg("identify")));
        } finally {
            base = normal;
            strict.stop();
        }
        assertThat(journaled()).hasSize(3);
    }

    @Test
    void batchAndImportAcceptManyMessagesThatInheritTheBatchContextAndSentAt() throws Exception {
        ObjectNode b = batch(msg("identify"), msg("track"), msg("page"));
        b.put("sentAt", "2024-05-01T10:00:01.000Z");
        b.putObject("context").putObject("library").put("name", "analytics-test");
        ((ObjectNode) b.get("batch").get(1)).putObject("context").put("ip", "10.0.0.1");
        assertOk(post("/v1/batch", b));
        assertOk(post("/v1/batch/", batch(msg("screen"))));
        assertOk(post("/v1/import", batch(msg("group"))));
        assertOk(post("/v1/import/", batch(msg("alias"))));

        List<JournalEntry> entries = journaled();
        assertThat(entries).extracting(JournalEntry::type).containsExactly("identify", "track", "page", "screen", "group", "alias");
        JournalEntry track = entries.get(1);
        assertThat(track.body().at("/context/library/name").asText()).isEqualTo("analytics-test");
        assertThat(track.body().at("/context/ip").asText()).isEqualTo("10.0.0.1");
        assertThat(track.body().get("sentAt").asText()).isEqualTo("2024-05-01T10:00:01.000Z");
        assertThat(entries.get(0).body().at("/context/library/name").asText()).isEqualTo("analytics-test");
    }

    @Test
    void messagesAreStoredAsSentPlusWhatTheHubAdds() throws Exception {
        // pretty-printed, escapes, braces inside strings, unicode: kept as sent
        String pretty = "{\n  \"userId\" : \"u\\\"}1\",\n  \"event\": \"Caf\u00e9 }{ \\u00e9\",\n"
                + "  \"properties\": {\"a\": [1, {\"b\": null}], \"c\": \"\\n\"},\n  \"timestamp\": \"2024-05-01T10:00:00Z\"\n}\n";
        assertOk(send("/v1/track", pretty.getBytes(StandardCharsets.UTF_8), "Authorization", basic(key)));
        // fields the hub must change: a null type and messageId, an upper-case type, the client's writeKey and receivedAt
        assertOk(post("/v1/identify", "{\"type\": null, \"messageId\": null, \"userId\": \"u2\"}"));
        assertOk(post("/v1/page", msg("page").put("type", "Page").put("receivedAt", "1999-01-01T00:00:00Z")));
        assertOk(send("/v1/screen", bytes(msg("screen").put("writeKey", key))));
        ObjectNode b = batch(msg("track"), (ObjectNode) msg("track").set("context", M.createObjectNode().put("ip", "10.1.1.1")
                .set("library", M.createObjectNode().put("name", "own"))), (ObjectNode) msg("track").set("context", null),
                msg("track").put("sentAt", "2024-05-01T10:00:00.500Z"));
        b.putObject("context").put("timezone", "Europe/Paris").putObject("library").put("name", "batch-lib");
        b.putObject("integrations").put("All", true);
        b.put("sentAt", "2024-05-01T10:00:01.000Z");
        assertOk(post("/v1/batch", b));

        List<JournalEntry> e = journaled();
        assertThat(e).hasSize(8);
        JsonNode first = e.get(0).body();
        assertThat(first.get("userId").asText()).isEqualTo("u\"}1");
        assertThat(first.get("event").asText()).isEqualTo("Caf\u00e9 }{ \u00e9");
        assertThat(first.at("/properties/a/1/b").isNull()).isTrue();
        assertThat(first.at("/properties/c").asText()).isEqualTo("\n");
        assertThat(first.get("type").asText()).isEqualTo("track");
        assertThat(e.get(0).personKey()).isEqualTo("user:u\"}1");

        assertThat(e.get(1).type()).isEqualTo("identify");
        assertThat(e.get(1).body().get("type").asText()).isEqualTo("identify");
        assertThat(e.get(1).body().get("messageId").asText()).isNotBlank().isEqualTo(e.get(1).messageId());
        assertThat(e.get(2).body().get("type").asText()).isEqualTo("page");
        assertThat(e.get(2).body().get("receivedAt").asText()).isNotEqualTo("1999-01-01T00:00:00Z");
        assertThat(e.get(3).body().has("writeKey")).isFalse();

        JsonNode plain = e.get(4).body();
        assertThat(plain.at("/context/timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(plain.at("/integrations/All").asBoolean()).isTrue();
        assertThat(plain.get("sentAt").asText()).isEqualTo("2024-05-01T10:00:01.000Z");
        JsonNode merged = e.get(5).body();
        assertThat(merged.at("/context/ip").asText()).isEqualTo("10.1.1.1");
        assertThat(merged.at("/context/library/name").asText()).isEqualTo("own");
        assertThat(merged.at("/context/timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(e.get(6).body().at("/context/timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(e.get(7).body().get("sentAt").asText()).isEqualTo("2024-05-01T10:00:00.500Z");
        for (JournalEntry entry : e) {
            assertThat(entry.body().get("receivedAt").asText()).isNotBlank();
            assertThat(entry.body().get("messageId").asText()).isEqualTo(entry.messageId());
        }

        ObjectNode badContext = batch(msg("track"));
        badContext.put("context", "mobile");
        assertRejected(post("/v1/batch", badContext), 400, "the batch's 'context' must be a JSON object");
    }

    @Test
    void gzipBodiesAreAccepted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes(batch(msg("track"), msg("identify"))));
        }
        assertOk(send("/v1/batch", out.toByteArray(), "Authorization", basic(key), "Content-Encoding", "gzip"));
        assertThat(journaled()).hasSize(2);

        assertRejected(send("/v1/batch", "not gzip".getBytes(StandardCharsets.UTF_8), "Authorization", basic(key),
                "Content-Encoding", "gzip"), 400, "not valid gzip");
        assertRejected(send("/v1/track", bytes(msg("track")), "Authorization", basic(key), "Content-Encoding", "br"),
                400, "Content-Encoding 'br' is not supported");
        assertThat(journaled()).hasSize(2);
    }

    // ---- write keys

    @Test
    void theWriteKeyComesFromBasicAuthOrTheBody() throws Exception {
        assertOk(send("/v1/track", bytes(msg("track")), "Authorization", basic(key)));
        assertOk(send("/v1/track", bytes(msg("track")), "Authorization",
                "Basic " + Base64.getEncoder().encodeToString((key + ":ignored-password").getBytes(StandardCharsets.UTF_8))));
        ObjectNode withKey = msg("track").put("writeKey", key);
        assertOk(send("/v1/track", bytes(withKey)));
        ObjectNode b = batch(msg("identify"));
        b.put("writeKey", key);
        assertOk(send("/v1/batch", bytes(b)));

        List<JournalEntry> entries = journaled();
        assertThat(entries).hasSize(4).extracting(JournalEntry::writeKey).containsOnly(key);
        assertThat(entries).allSatisfy(e -> assertThat(e.body().has("writeKey")).isFalse());
    }

    @Test
    void aMissingUnknownOrRevokedWriteKeyIs401() throws Exception {
        assertRejected(send("/v1/track", bytes(msg("track"))), 401, "no write key");
        assertRejected(send("/v1/batch", bytes(batch(msg("track")))), 401, "no write key");
        assertRejected(send("/v1/track", bytes(msg("track")), "Authorization", basic("gs_wk_nope")), 401, "not known");
        assertRejected(send("/v1/track", bytes(msg("track").put("writeKey", "gs_wk_nope"))), 401, "not known");
        assertRejected(send("/v1/track", bytes(msg("track")), "Authorization", "Bearer " + key), 401, "HTTP Basic");
        // a wrong Basic key is not rescued by a right one in the body
        assertRejected(send("/v1/track", bytes(msg("track").put("writeKey", key)), "Authorization", basic("gs_wk_nope")),
                401, "not known");
        // and it is refused before the body is looked at
        assertRejected(send("/v1/track", "{nonsense".getBytes(StandardCharsets.UTF_8), "Authorization", basic("gs_wk_nope")),
                401, "not known");

        String other = keys.create("other");
        assertOk(send("/v1/track", bytes(msg("track")), "Authorization", basic(other)));
        assertThat(keys.revoke(other)).isTrue();
        assertRejected(send("/v1/track", bytes(msg("track")), "Authorization", basic(other)), 401, "revoked");

        assertThat(journaled()).hasSize(1);
        assertThat(rejected(RejectReason.MISSING_WRITE_KEY)).isEqualTo(3);
        assertThat(rejected(RejectReason.UNKNOWN_WRITE_KEY)).isEqualTo(5);
        assertThat(keys.list()).extracting(WriteKey::name).containsExactly("test source", "other");
        assertThat(keys.list().get(1).active()).isFalse();
        assertThat(keys.list().get(1).masked()).startsWith("gs_wk_****").doesNotContain(other.substring(6, 20));
    }

    @Test
    void aConfiguredWriteKeyIsEnsuredOnce() throws Exception {
        keys.ensure("my-configured-key", "from GRIDSYNC_WRITE_KEY");
        keys.ensure("my-configured-key", "from GRIDSYNC_WRITE_KEY");
        assertThat(keys.list()).extracting(WriteKey::key).containsOnlyOnce("my-configured-key");
        assertOk(send("/v1/track", bytes(msg("track")), "Authorization", basic("my-configured-key")));
        // another WriteKeys over the same database (a restart) knows it
        assertThat(new WriteKeys(db).isValid("my-configured-key")).isTrue();
        assertThat(key).startsWith("gs_wk_").hasSize(6 + 32).matches("gs_wk_[A-Za-z0-9_-]+");
    }

    // ---- validation

    @Test
    void everyValidationRuleAnswers400WithItsReasonAndStoresNothing() throws Exception {
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("invalid JSON", new Object[]{"/v1/track", "{\"type\": \"track\",", "not valid JSON", RejectReason.INVALID_JSON});
        cases.put("trailing garbage", new Object[]{"/v1/track", "{\"type\":\"track\"} x", "not valid JSON", RejectReason.INVALID_JSON});
        cases.put("not an object", new Object[]{"/v1/track", "[1,2]", "must be a JSON object", RejectReason.INVALID_JSON});
        cases.put("empty body", new Object[]{"/v1/track", "", "must be a JSON object", RejectReason.INVALID_JSON});
        cases.put("type mismatch", new Object[]{"/v1/identify", msg("track"),
                "type \"track\" does not match the endpoint /v1/identify", RejectReason.TYPE_MISMATCH});
        ObjectNode anonymous = msg("track");
        anonymous.remove("userId");
        cases.put("no identity", new Object[]{"/v1/track", anonymous, "needs a userId or an anonymousId", RejectReason.MISSING_IDENTITY});
        cases.put("empty identity", new Object[]{"/v1/track", msg("track").put("userId", "").put("anonymousId", ""),
                "needs a userId or an anonymousId", RejectReason.MISSING_IDENTITY});
        ObjectNode boolUser = msg("identify");
        boolUser.put("userId", true);
        cases.put("userId type", new Object[]{"/v1/identify", boolUser, "'userId' must be a string or a number", RejectReason.INVALID_FIELD});
        ObjectNode objAnon = msg("identify");
        objAnon.putObject("anonymousId");
        cases.put("anonymousId type", new Object[]{"/v1/identify", objAnon, "'anonymousId' must be a string or a number",
                RejectReason.INVALID_FIELD});
        cases.put("traits type", new Object[]{"/v1/identify", msg("identify").put("traits", "x"), "'traits' must be a JSON object",
                RejectReason.INVALID_FIELD});
        ObjectNode propsArray = msg("track");
        propsArray.putArray("properties");
        cases.put("properties type", new Object[]{"/v1/track", propsArray, "'properties' must be a JSON object", RejectReason.INVALID_FIELD});
        cases.put("context type", new Object[]{"/v1/page", msg("page").put("context", 5), "'context' must be a JSON object",
                RejectReason.INVALID_FIELD});
        ObjectNode noEvent = msg("track");
        noEvent.remove("event");
        cases.put("track without event", new Object[]{"/v1/track", noEvent, "needs 'event'", RejectReason.MISSING_FIELD});
        cases.put("event type", new Object[]{"/v1/track", msg("track").put("event", 7), "'event' must be a string",
                RejectReason.INVALID_FIELD});
        ObjectNode noGroup = msg("group");
        noGroup.remove("groupId");
        cases.put("group without groupId", new Object[]{"/v1/group", noGroup, "needs 'groupId'", RejectReason.MISSING_FIELD});
        ObjectNode noPrevious = msg("alias");
        noPrevious.remove("previousId");
        cases.put("alias without previousId", new Object[]{"/v1/alias", noPrevious, "needs 'previousId'", RejectReason.MISSING_FIELD});
        cases.put("timestamp type", new Object[]{"/v1/track", msg("track").put("timestamp", 1714557600), "'timestamp' must be",
                RejectReason.INVALID_FIELD});
        cases.put("messageId type", new Object[]{"/v1/track", msg("track").put("messageId", 12), "'messageId' must be a string",
                RejectReason.INVALID_FIELD});
        cases.put("batch missing", new Object[]{"/v1/batch", M.createObjectNode().put("x", 1), "non-empty array", RejectReason.EMPTY_BATCH});
        cases.put("batch empty", new Object[]{"/v1/batch", batch(), "non-empty array", RejectReason.EMPTY_BATCH});
        cases.put("batch not array", new Object[]{"/v1/batch", "{\"batch\": {}}", "non-empty array", RejectReason.EMPTY_BATCH});
        cases.put("batch item not object", new Object[]{"/v1/batch", "{\"batch\": [1]}", "batch[0] must be a JSON object",
                RejectReason.INVALID_JSON});
        cases.put("batch item type", new Object[]{"/v1/batch", batch(msg("track"), msg("track").put("type", "purchase")),
                "batch[1]: 'type' must be one of identify, track, page, screen, group, alias", RejectReason.UNKNOWN_TYPE});
        ObjectNode untyped = msg("track");
        untyped.remove("type");
        cases.put("batch item without type", new Object[]{"/v1/import", batch(untyped), "batch[0]: 'type' must be one of",
                RejectReason.UNKNOWN_TYPE});
        ObjectNode lateBad = msg("track");
        lateBad.remove("userId");
        cases.put("batch item without identity", new Object[]{"/v1/batch", batch(msg("identify"), msg("track"), lateBad),
                "batch[2]: every message needs a userId or an anonymousId", RejectReason.MISSING_IDENTITY});

        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Object[] v = c.getValue();
            RejectReason reason = (RejectReason) v[3];
            double before = rejected(reason);
            Reply r = post((String) v[0], v[1]);
            assertThat(r.status()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(r.body().get("success").asBoolean(true)).as(c.getKey()).isFalse();
            assertThat(r.body().get("error").asText()).as(c.getKey()).contains((String) v[2]);
            assertThat(rejected(reason)).as(c.getKey() + " counted under " + reason.tag()).isEqualTo(before + 1);
        }
        assertThat(journaled()).isEmpty();
        // numbers are identifiers too
        assertOk(post("/v1/identify", msg("identify").put("userId", 12345)));
        assertThat(journaled().get(0).personKey()).isEqualTo("user:12345");
    }

    @Test
    void messagesMayHave32KbAndBatches500Kb() throws Exception {
        int limit = 32 * 1024;
        ObjectNode fits = sized(msg("track"), limit);
        assertThat(bytes(fits)).hasSize(limit);
        assertOk(post("/v1/track", fits));
        ObjectNode tooBig = sized(msg("track"), limit + 1);
        assertRejected(post("/v1/track", tooBig), 413, "over 32 KB");
        assertThat(rejected(RejectReason.MESSAGE_TOO_LARGE)).isEqualTo(1);

        assertRejected(post("/v1/batch", batch(msg("track"), tooBig)), 400, "batch[1] is 32769 bytes; a message may have at most 32 KB");
        assertOk(post("/v1/batch", batch(msg("identify"), fits)));

        // 500 KB in messages that each fit: accepted at the limit, refused above it
        List<ObjectNode> many = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            many.add(sized(msg("track"), 31 * 1024));
        }
        ObjectNode big = batch(many.toArray(ObjectNode[]::new));
        int room = 500 * 1024 - bytes(big).length;
        assertThat(room).isPositive();
        ObjectNode atLimit = batch(many.toArray(ObjectNode[]::new));
        atLimit.put("pad", "x".repeat(room - ",\"pad\":\"\"".length()));
        assertThat(bytes(atLimit)).hasSize(500 * 1024);
        assertOk(post("/v1/batch", atLimit));
        atLimit.put("pad", atLimit.get("pad").asText() + "x");
        assertRejected(post("/v1/batch", atLimit), 413, "over 500 KB");
        assertThat(rejected(RejectReason.BATCH_TOO_LARGE)).isEqualTo(1);

        assertThat(journaled()).hasSize(1 + 2 + 16);
    }

    /** Pads the message with a property so that its JSON has exactly {@code size} bytes. */
    static ObjectNode sized(ObjectNode m, int size) throws Exception {
        ((ObjectNode) m.get("properties")).put("pad", "");
        int now = bytes(m).length;
        ((ObjectNode) m.get("properties")).put("pad", "x".repeat(size - now));
        return m;
    }

    // ---- de-duplication, concurrency, back-pressure

    @Test
    void aRepeatedMessageIdIsAcknowledgedEachTimeAndStoredOnce() throws Exception {
        ObjectNode m = msg("track").put("messageId", "client-retry-1");
        assertOk(post("/v1/track", m));
        assertOk(post("/v1/track", m));
        assertOk(post("/v1/batch", batch(m.deepCopy(), msg("identify").put("messageId", "client-retry-2"))));
        assertThat(journaled()).extracting(JournalEntry::messageId).containsExactly("client-retry-1", "client-retry-2");
        assertThat(registry.get("gridsync.collect.events.duplicates").counter().count()).isEqualTo(2);
        assertThat(registry.get("gridsync.collect.events.accepted").counter().count()).isEqualTo(2);
    }

    @Test
    void concurrentClientsLoseNothingAndGetUniqueIncreasingSeqs() throws Exception {
        int threads = 8;
        int batchesEach = 200;
        int perBatch = 5;
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                try {
                    for (int b = 0; b < batchesEach; b++) {
                        ObjectNode[] ms = new ObjectNode[perBatch];
                        for (int i = 0; i < perBatch; i++) {
                            ms[i] = msg("track").put("messageId", thread + "-" + b + "-" + i).put("userId", "u" + thread);
                        }
                        statuses.add(post("/v1/batch", batch(ms)).status());
                    }
                } catch (Exception e) {
                    statuses.add(-1);
                }
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        assertThat(statuses).hasSize(threads * batchesEach).containsOnly(200);
        List<JournalEntry> all = journaled();
        assertThat(all).hasSize(threads * batchesEach * perBatch);
        assertThat(all).extracting(JournalEntry::messageId).doesNotHaveDuplicates();
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).seq()).isGreaterThan(all.get(i - 1).seq());
        }
        assertThat(journal.lastSeq()).isEqualTo(all.get(all.size() - 1).seq());
    }

    @Test
    void aFullJournalAnswers503WithRetryAfter() throws Exception {
        app.stop();
        journal.close();
        startHub(new Journal(db, Duration.ofHours(24), 5));
        Thread first;
        List<Reply> firstReply = Collections.synchronizedList(new ArrayList<>());
        try (AutoCloseable lock = databases().lockJournal(db)) {
            first = new Thread(() -> {
                try {
                    firstReply.add(post("/v1/batch", batch(msg("track"), msg("track"), msg("track"), msg("track"), msg("track"))));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            first.start();
            poll(() -> journal.pending() == 5);
            Reply busy = post("/v1/track", msg("track"));
            assertRejected(busy, 503, "retry");
            assertThat(busy.raw().headers().firstValue("Retry-After")).contains("1");
            assertThat(rejected(RejectReason.BUSY)).isEqualTo(1);
        }
        first.join(30_000);
        assertThat(firstReply).hasSize(1);
        assertOk(firstReply.get(0));
        assertOk(post("/v1/track", msg("track")));
        assertThat(journaled()).hasSize(6);
    }

    // ---- a real client

    @Test
    void segmentsJavaClientDeliversIdentifyTrackAndPage() throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Analytics analytics = Analytics.builder(key).endpoint(base).flushQueueSize(50)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(message.type() + ": " + throwable);
                    }
                }).build();
        try {
            analytics.enqueue(IdentifyMessage.builder().userId("user-42")
                    .traits(Map.of("email", "ada@example.com", "first_name", "Ada")));
            analytics.enqueue(TrackMessage.builder("Order Completed").userId("user-42").properties(Map.of("total", 99.5)));
            analytics.enqueue(PageMessage.builder("Pricing").anonymousId("anon-9").properties(Map.of("path", "/pricing")));
            analytics.flush();
            poll(() -> journaled().size() == 3 || !failures.isEmpty());
        } finally {
            analytics.shutdown();
        }
        assertThat(failures).isEmpty();
        List<JournalEntry> entries = journaled();
        assertThat(entries).extracting(JournalEntry::type).containsExactly("identify", "track", "page");
        assertThat(entries).extracting(JournalEntry::personKey).containsExactly("user:user-42", "user:user-42", "anon:anon-9");
        assertThat(entries).extracting(JournalEntry::writeKey).containsOnly(key);
        JsonNode identify = entries.get(0).body();
        assertThat(identify.at("/traits/email").asText()).isEqualTo("ada@example.com");
        assertThat(identify.at("/traits/first_name").asText()).isEqualTo("Ada");
        assertThat(identify.at("/context/library/name").asText()).isEqualTo("analytics-java");
        assertThat(identify.get("messageId").asText()).isEqualTo(entries.get(0).messageId()).isNotBlank();
        assertThat(identify.get("timestamp").asText()).isNotBlank();
        assertThat(entries.get(1).body().get("event").asText()).isEqualTo("Order Completed");
        assertThat(entries.get(1).body().at("/properties/total").asDouble()).isEqualTo(99.5);
        assertThat(entries.get(2).body().get("name").asText()).isEqualTo("Pricing");
    }
}
