package io.gridsync.server.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Builds the HTTP request that forwards a batch of Segment track messages: as they are in a Segment
 * batch ({@code {"batch": [...]}}, write key as HTTP Basic user), or turned into Amplitude HTTP V2
 * events (event_type, user_id or device_id, time in ms, insert_id for Amplitude's de-duplication,
 * event_properties, user_properties.email).
 */
final class ForwardRequest {

    private static final ObjectMapper M = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ForwardRequest() {}

    static HttpRequest of(Forwarding to, List<String> tracks, Instant now) {
        byte[] body = switch (to.format()) {
            case SEGMENT -> segment(tracks, now);
            case AMPLITUDE -> amplitude(tracks, to.key());
        };
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(to.url())).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("User-Agent", "gridsync")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (to.format() == ForwardFormat.SEGMENT && to.key() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((to.key() + ":").getBytes(StandardCharsets.UTF_8)));
        }
        return b.build();
    }

    private static byte[] segment(List<String> tracks, Instant now) {
        ObjectNode body = M.createObjectNode();
        ArrayNode batch = body.putArray("batch");
        tracks.forEach(t -> batch.add(read(t)));
        body.put("sentAt", now.toString());
        return write(body);
    }

    private static byte[] amplitude(List<String> tracks, String apiKey) {
        ObjectNode body = M.createObjectNode();
        if (apiKey != null) {
            body.put("api_key", apiKey);
        }
        ArrayNode events = body.putArray("events");
        for (String t : tracks) {
            JsonNode m = read(t);
            ObjectNode e = events.addObject();
            e.put("event_type", m.path("event").asText());
            if (m.hasNonNull("userId")) {
                e.put("user_id", m.get("userId").asText());
            } else {
                e.put("device_id", m.path("anonymousId").asText());
            }
            if (m.hasNonNull("timestamp")) {
                e.put("time", Instant.parse(m.get("timestamp").asText()).toEpochMilli());
            }
            e.put("insert_id", m.path("messageId").asText());
            e.set("event_properties", m.path("properties"));
            e.putObject("user_properties").put("email", m.path("context").path("traits").path("email").asText());
            JsonNode ip = m.path("context").path("ip");
            if (ip.isTextual()) {
                e.put("ip", ip.asText());
            }
            e.put("library", "gridsync");
        }
        return write(body);
    }

    private static JsonNode read(String json) {
        try {
            return M.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(JsonNode n) {
        try {
            return M.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
