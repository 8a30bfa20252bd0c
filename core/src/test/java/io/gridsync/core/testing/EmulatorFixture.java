package io.gridsync.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.contact.InMemoryIdentityLedger;
import io.gridsync.core.contact.InMemoryValueLedger;
import io.gridsync.core.fields.FieldCatalog;
import io.gridsync.core.lists.ListDirectory;
import io.gridsync.core.message.Message;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridClient;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * A running emulator and a core client pointed at it. Assertions read the emulator through its
 * own HTTP API with a plain JDK client, not through core's client, so a misreading in core cannot
 * hide itself.
 */
public final class EmulatorFixture implements AutoCloseable {

    public static final String KEY = "SG.core-tests-0123456789";
    private static final ObjectMapper M = new ObjectMapper();

    public final Emulator emulator;
    public final SendGridApi api;
    private final HttpClient http = HttpClient.newHttpClient();

    public EmulatorFixture() {
        this(new EmulatorConfig());
    }

    public EmulatorFixture(EmulatorConfig config) {
        config.port(0);
        if (config.importDelayMillis == new EmulatorConfig().importDelayMillis) {
            config.importDelayMillis = 10;
        }
        emulator = Emulator.start(config);
        api = new SendGridApi(new SendGridClient(URI.create(emulator.baseUrl()), new ApiKey(KEY), Duration.ofSeconds(20),
                new SendGridClient.RetryPolicy(6, Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofSeconds(60))));
    }

    /** A context with fresh in-memory ledgers. */
    public ActionContext context(String defaultListId, boolean createMissingFields) {
        return new ActionContext(api, new FieldCatalog(api), new ListDirectory(api), new InMemoryIdentityLedger(),
                new InMemoryValueLedger(), defaultListId, createMissingFields, Duration.ofMinutes(2), Clock.systemUTC());
    }

    public static Message message(String json) {
        try {
            return new Message((ObjectNode) M.readTree(json.replace('\'', '"')));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** GET a /v3 path of the emulator; the parsed body (404 gives the error body). */
    public JsonNode get(String path) {
        return call("GET", path, null);
    }

    public JsonNode post(String path, String json) {
        return call("POST", path, json);
    }

    public JsonNode call(String method, String path, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                    .header("Authorization", "Bearer " + KEY);
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            HttpRequest request = b.build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            // a test's own reads go through the emulator's injected faults too; they are asked again
            // so that a 429 meant for the code under test does not read as "no contacts"
            for (int tries = 1; (r.statusCode() == 429 || r.statusCode() >= 500) && tries < 100; tries++) {
                Thread.sleep(10);
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            return r.body().isEmpty() ? M.createObjectNode() : M.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The contact with this email as the emulator holds it, or null. */
    public JsonNode contactByEmail(String email) {
        JsonNode r = post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"" + email + "\"]}");
        JsonNode c = r.path("result").path(email.toLowerCase()).path("contact");
        return c.isMissingNode() ? null : c;
    }

    public long contactCount() {
        return get("/v3/marketing/contacts/count").path("contact_count").asLong();
    }

    public long listCount(String listId) {
        return get("/v3/marketing/lists/" + listId + "/contacts/count").path("contact_count").asLong();
    }

    public long requests(String method, String template) {
        return emulator.stats().get(method, template);
    }

    @Override
    public void close() {
        emulator.close();
    }
}
