package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts an emulator per test and offers the few steps every contacts test repeats. */
abstract class ContactsTestSupport {

    static final ObjectMapper MAPPER = new ObjectMapper();

    Emulator emulator;
    SendGridHttp sg;

    @AfterEach
    void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    SendGridHttp start(EmulatorConfig config) {
        emulator = Emulator.start(config.port(0));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
        return sg;
    }

    SendGridHttp start() {
        return start(new EmulatorConfig().importDelayMillis(0));
    }

    static ObjectNode contact(String email) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("email", email);
        return c;
    }

    static ObjectNode upsertBody(List<String> listIds, JsonNode... contacts) {
        ObjectNode body = MAPPER.createObjectNode();
        if (listIds != null) {
            ArrayNode l = body.putArray("list_ids");
            listIds.forEach(l::add);
        }
        ArrayNode cs = body.putArray("contacts");
        for (JsonNode c : contacts) {
            cs.add(c);
        }
        return body;
    }

    /** PUTs the contacts, expects 202, and returns the job id. */
    String upsert(ObjectNode body) {
        SendGridHttp.Response r = sg.put("/v3/marketing/contacts", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("job_id").asText();
    }

    /** Polls the import status until the job leaves "pending" (bounded, so a broken job fails the test). */
    JsonNode awaitJob(String jobId) {
        for (int i = 0; i < 1000; i++) {
            SendGridHttp.Response r = sg.get("/v3/marketing/contacts/imports/" + jobId);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            if (!r.json().get("status").asText().equals("pending")) {
                return r.json();
            }
            sleep(10);
        }
        throw new AssertionError("job " + jobId + " still pending after 1000 polls");
    }

    /** Upserts and waits; returns the finished job. */
    JsonNode upsertAndWait(ObjectNode body) {
        return awaitJob(upsert(body));
    }

    JsonNode contactByEmail(String email) {
        SendGridHttp.Response r = sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"" + email + "\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().at("/result/" + email.toLowerCase().replace("/", "~1") + "/contact");
    }

    static String firstErrorField(SendGridHttp.Response r) {
        return r.json().at("/errors/0/field").asText();
    }

    static String allMessages(SendGridHttp.Response r) {
        StringBuilder b = new StringBuilder();
        r.json().path("errors").forEach(e -> b.append(e.path("field").asText()).append(": ").append(e.path("message").asText()).append('\n'));
        return b.toString();
    }

    /** A raw GET outside /v3 (errors files, export downloads), as bytes. */
    static HttpResponse<byte[]> download(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Schema check that allows the one documented departure: SendGrid's files type the
     * {@code job_id} of DELETE responses as an object, while SendGrid answers (and the imports
     * endpoint takes) a string. Call it after at least one accepted DELETE.
     */
    void assertConformsExceptDeleteJobIdType() {
        assertThat(sg.violations()).isNotEmpty().allSatisfy(v -> assertThat(v).contains("/delete/responses/202").contains("job_id"));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
