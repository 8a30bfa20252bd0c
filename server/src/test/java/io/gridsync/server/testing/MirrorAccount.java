package io.gridsync.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Fills and changes an emulated SendGrid account over its HTTP API, with a plain JDK client (not
 * gridsync's), so the mirror reads what SendGrid's API wrote, not what gridsync believes.
 */
public final class MirrorAccount {

    private static final ObjectMapper M = new ObjectMapper();

    private final String baseUrl;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public MirrorAccount(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    public JsonNode call(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + key);
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? M.createObjectNode() : M.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String createField(String name, String type) {
        return call("POST", "/v3/marketing/field_definitions", "{\"name\":\"" + name + "\",\"field_type\":\"" + type + "\"}")
                .path("id").asText();
    }

    public String createList(String name) {
        return call("POST", "/v3/marketing/lists", "{\"name\":\"" + name + "\"}").path("id").asText();
    }

    public void renameList(String id, String name) {
        call("PATCH", "/v3/marketing/lists/" + id, "{\"name\":\"" + name + "\"}");
    }

    public void deleteList(String id) {
        call("DELETE", "/v3/marketing/lists/" + id, null);
    }

    public String createSegment(String name, String parentListId, String queryDsl) {
        return call("POST", "/v3/marketing/segments/2.0", "{\"name\":\"" + name + "\",\"query_dsl\":\"" + queryDsl + "\""
                + (parentListId == null ? "" : ",\"parent_list_ids\":[\"" + parentListId + "\"]") + "}").path("id").asText();
    }

    public String createSingleSend(String name, String subject, String listId) {
        return call("POST", "/v3/marketing/singlesends", "{\"name\":\"" + name + "\",\"categories\":[\"news\"],"
                + "\"send_at\":\"2030-01-01T10:00:00Z\",\"send_to\":{\"list_ids\":[\"" + listId + "\"]},"
                + "\"email_config\":{\"subject\":\"" + subject + "\",\"html_content\":\"<p>" + name + "</p>\",\"sender_id\":12,"
                + "\"suppression_group_id\":34}}").path("id").asText();
    }

    /** Upserts contacts {@code from} (inclusive) to {@code to} (exclusive), 30,000 per request, and waits until applied. */
    public void putContacts(List<String> listIds, int from, int to, IntFunction<String> contact) {
        for (int start = from; start < to; start += 30_000) {
            StringBuilder body = new StringBuilder("{\"list_ids\":").append(json(listIds)).append(",\"contacts\":[");
            for (int i = start; i < Math.min(to, start + 30_000); i++) {
                body.append(i == start ? "" : ",").append(contact.apply(i));
            }
            awaitJob(call("PUT", "/v3/marketing/contacts", body.append("]}").toString()).path("job_id").asText());
        }
    }

    public void deleteContacts(List<String> ids) {
        awaitJob(call("DELETE", "/v3/marketing/contacts?ids=" + String.join(",", ids), null).path("job_id").asText());
    }

    private void awaitJob(String jobId) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode s = call("GET", "/v3/marketing/contacts/imports/" + jobId, null);
            if (!"pending".equals(s.path("status").asText())) {
                if (!"completed".equals(s.path("status").asText())) {
                    throw new IllegalStateException("contact job " + jobId + " ended " + s);
                }
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("contact job " + jobId + " still pending after 2 minutes");
    }

    private static String json(Object value) {
        try {
            return M.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
