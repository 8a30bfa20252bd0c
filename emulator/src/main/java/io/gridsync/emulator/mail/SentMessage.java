package io.gridsync.emulator.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One accepted Mail Send request as the emulator keeps it: the request body with attachments reduced
 * to their names and sizes and long content values cut, plus the {@code X-Message-Id} it was given.
 */
public record SentMessage(String messageId, Instant receivedAt, ObjectNode request) {

    /** Content values longer than this are cut when stored, so 100,000 kept messages stay affordable. */
    public static final int MAX_STORED_CONTENT_CHARS = 64 * 1024;

    /** Keeps what a user inspects; drops attachment bytes. {@code body} must have passed validation. */
    public static SentMessage accept(String messageId, Instant receivedAt, ObjectNode body) {
        ObjectNode kept = body.deepCopy();
        JsonNode content = kept.get("content");
        if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String value = part.path("value").asText("");
                if (value.length() > MAX_STORED_CONTENT_CHARS) {
                    ((ObjectNode) part).put("value", value.substring(0, MAX_STORED_CONTENT_CHARS));
                    ((ObjectNode) part).put("truncated", true);
                }
            }
        }
        JsonNode attachments = kept.get("attachments");
        if (attachments != null && attachments.isArray()) {
            ArrayNode summary = Json.array();
            for (JsonNode a : attachments) {
                ObjectNode s = summary.addObject();
                s.put("filename", a.path("filename").asText());
                copyText(a, s, "type");
                copyText(a, s, "disposition");
                copyText(a, s, "content_id");
                String b64 = a.path("content").asText("").replace("\r", "").replace("\n", "");
                s.put("size", Base64.getDecoder().decode(b64).length);
            }
            kept.set("attachments", summary);
        }
        return new SentMessage(messageId, receivedAt, kept);
    }

    private static void copyText(JsonNode from, ObjectNode to, String field) {
        if (from.path(field).isTextual()) {
            to.put(field, from.get(field).asText());
        }
    }

    public ArrayNode personalizations() {
        return (ArrayNode) request.get("personalizations");
    }

    public String templateId() {
        return request.path("template_id").isTextual() ? request.get("template_id").asText() : null;
    }

    public List<String> categories() {
        List<String> out = new ArrayList<>();
        request.path("categories").forEach(c -> out.add(c.asText()));
        return out;
    }

    /** Message-level custom arguments; a personalization's own override them. */
    public Map<String, String> customArgs() {
        return stringMap(request.get("custom_args"));
    }

    /** The custom arguments one personalization's events carry: message level merged with its own. */
    public Map<String, String> customArgs(int personalization) {
        Map<String, String> merged = customArgs();
        merged.putAll(stringMap(personalizations().get(personalization).get("custom_args")));
        return merged;
    }

    /** The personalization's send_at, else the message's, else null (send now). */
    public Long sendAt(int personalization) {
        JsonNode own = personalizations().get(personalization).get("send_at");
        if (own != null && own.isIntegralNumber()) {
            return own.asLong();
        }
        JsonNode global = request.get("send_at");
        return global != null && global.isIntegralNumber() ? global.asLong() : null;
    }

    public Integer asmGroupId() {
        JsonNode g = request.path("asm").get("group_id");
        return g != null && g.isIntegralNumber() ? g.asInt() : null;
    }

    /** Every recipient address of one personalization, in to, cc, bcc order. */
    public List<String> recipients(int personalization) {
        List<String> out = new ArrayList<>();
        JsonNode p = personalizations().get(personalization);
        for (String kind : List.of("to", "cc", "bcc")) {
            p.path(kind).forEach(r -> out.add(r.path("email").asText()));
        }
        return out;
    }

    /** The first content value of a MIME type, or null. */
    public String content(String mimeType) {
        for (JsonNode part : request.path("content")) {
            if (part.path("type").asText().equalsIgnoreCase(mimeType)) {
                return part.path("value").asText();
            }
        }
        return null;
    }

    /** True when the address is a recipient (to, cc or bcc) of any personalization, ignoring case. */
    public boolean isAddressedTo(String email) {
        String wanted = email.toLowerCase(Locale.ROOT);
        for (int i = 0; i < personalizations().size(); i++) {
            for (String r : recipients(i)) {
                if (r.toLowerCase(Locale.ROOT).equals(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        out.put("message_id", messageId);
        out.put("received_at", receivedAt.toString());
        out.setAll(request);
        return out;
    }

    public static SentMessage fromJson(JsonNode node) {
        ObjectNode request = node.deepCopy();
        String id = request.remove("message_id").asText();
        Instant at = Instant.parse(request.remove("received_at").asText());
        return new SentMessage(id, at, request);
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
