package io.gridsync.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The emulator read and changed through its own HTTP API with a plain JDK client, so assertions
 * never go through gridsync's SendGrid client: lists, members (through a real export), request counts.
 */
public final class EmulatorHttp {

    private static final ObjectMapper M = new ObjectMapper();

    private final Emulator emulator;
    private final String key;
    private final HttpClient http = HttpClient.newHttpClient();

    public EmulatorHttp(Emulator emulator, String key) {
        this.emulator = emulator;
        this.key = key;
    }

    public JsonNode call(String method, String path, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : emulator.baseUrl() + path))
                    .header("Authorization", "Bearer " + key);
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.body().isBlank() ? M.createObjectNode() : M.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode get(String path) {
        return call("GET", path, null);
    }

    /** The id of the list with this name, or null. */
    public String listId(String name) {
        for (JsonNode l : get("/v3/marketing/lists?page_size=1000").path("result")) {
            if (l.path("name").asText().equals(name)) {
                return l.path("id").asText();
            }
        }
        return null;
    }

    public long listCount(String listId) {
        return get("/v3/marketing/lists/" + listId + "/contacts/count").path("contact_count").asLong();
    }

    public long contactCount() {
        return get("/v3/marketing/contacts/count").path("contact_count").asLong();
    }

    /** The emails of a list's members, read through a JSON export. */
    public Set<String> listEmails(String listId) {
        String id = call("POST", "/v3/marketing/contacts/exports", "{\"list_ids\":[\"" + listId + "\"],\"file_type\":\"json\"}")
                .path("id").asText();
        JsonNode status;
        long deadline = System.nanoTime() + 30_000_000_000L;
        do {
            status = get("/v3/marketing/contacts/exports/" + id);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("export not ready: " + status);
            }
            sleep(20);
        } while (status.path("status").asText().equals("pending"));
        Set<String> emails = new HashSet<>();
        for (JsonNode url : status.path("urls")) {
            try {
                HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url.asText())).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(r.body()), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (!line.isBlank()) {
                            emails.add(M.readTree(line).path("email").asText());
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return emails;
    }

    /** The contact with this email, or a missing node. */
    public JsonNode contact(String email) {
        return call("POST", "/v3/marketing/contacts/search/emails", "{\"emails\":[\"" + email + "\"]}")
                .path("result").path(email.toLowerCase()).path("contact");
    }

    public long requests(String endpoint) {
        return get("/_emulator/stats").path("requests").path(endpoint).asLong();
    }

    public JsonNode stats() {
        return get("/_emulator/stats").path("requests");
    }

    public void resetStats() {
        call("DELETE", "/_emulator/stats", null);
    }

    /** Waits for a contacts job (upsert, removal) to finish. */
    public void awaitJob(String jobId) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (get("/v3/marketing/contacts/imports/" + jobId).path("status").asText().equals("pending")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " still pending");
            }
            sleep(10);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
