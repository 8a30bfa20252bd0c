package io.gridsync.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * A Segment-spec message (identify, track, page, screen, group, alias), kept as the JSON it arrived
 * as so that mappings can read any field, with typed accessors for the fields gridsync itself uses.
 */
public final class Message {

    private final ObjectNode json;

    public Message(ObjectNode json) {
        this.json = json;
    }

    public ObjectNode json() {
        return json;
    }

    /** {@code identify}, {@code track}, {@code page}, ... (lower case). */
    public String type() {
        return json.path("type").asText("").toLowerCase(Locale.ROOT);
    }

    public String messageId() {
        return text("messageId");
    }

    public String userId() {
        return text("userId");
    }

    public String anonymousId() {
        return text("anonymousId");
    }

    /** The track event name, e.g. {@code Order Completed}; null for other types. */
    public String event() {
        return text("event");
    }

    public JsonNode traits() {
        JsonNode t = json.get("traits");
        if (t == null || !t.isObject()) {
            t = json.path("context").get("traits");
        }
        return t == null ? MissingNode.getInstance() : t;
    }

    public JsonNode properties() {
        JsonNode p = json.get("properties");
        return p == null ? MissingNode.getInstance() : p;
    }

    public JsonNode context() {
        return json.path("context");
    }

    /**
     * The person this message is about, for ordering deliveries per person:
     * {@code user:<userId>}, else {@code anon:<anonymousId>}.
     */
    public String personKey() {
        String u = userId();
        if (u != null) {
            return "user:" + u;
        }
        String a = anonymousId();
        return a == null ? "message:" + messageId() : "anon:" + a;
    }

    private String text(String field) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.isTextual() ? v.asText() : v.toString();
        return s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return type() + (event() == null ? "" : " '" + event() + "'") + " " + messageId();
    }
}
