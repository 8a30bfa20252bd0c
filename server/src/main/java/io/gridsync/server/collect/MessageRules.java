package io.gridsync.server.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * What a Segment-spec message must look like to be accepted (docs/collect.md lists the rules).
 * Every message needs a userId or an anonymousId; each type its own required field.
 */
final class MessageRules {

    /** Segment's limits: 32 KB per message, 500 KB per batch request. */
    static final int MAX_MESSAGE_BYTES = 32 * 1024;
    static final int MAX_BATCH_BYTES = 500 * 1024;
    static final List<String> TYPES = List.of("identify", "track", "page", "screen", "group", "alias");
    private static final int MAX_ID_CHARS = 256;

    private MessageRules() {}

    /**
     * Checks {@code m} in place, lower-casing its type.
     *
     * @param where how to name the message in an error ("" for a single message, "batch[3]" in a batch)
     */
    static void check(ObjectNode m, String where) {
        String at = where.isEmpty() ? "" : where + ": ";
        JsonNode t = m.get("type");
        String type = t != null && t.isTextual() ? t.asText().toLowerCase(Locale.ROOT) : null;
        if (type == null || !TYPES.contains(type)) {
            throw Rejection.badRequest(RejectReason.UNKNOWN_TYPE, at + "'type' must be one of " + String.join(", ", TYPES)
                    + (t == null ? " (it is missing)" : ""));
        }
        m.put("type", type);

        boolean hasUser = identifier(m, "userId", at);
        boolean hasAnonymous = identifier(m, "anonymousId", at);
        if (!hasUser && !hasAnonymous) {
            throw Rejection.badRequest(RejectReason.MISSING_IDENTITY, at + "every message needs a userId or an anonymousId");
        }
        JsonNode id = m.get("messageId");
        if (id != null && !id.isNull()) {
            if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_ID_CHARS || id.asText().indexOf('\0') >= 0) {
                throw Rejection.badRequest(RejectReason.INVALID_FIELD,
                        at + "'messageId' must be a string of 1 to " + MAX_ID_CHARS + " characters");
            }
        }
        for (String field : List.of("context", "integrations", "traits", "properties")) {
            JsonNode v = m.get(field);
            if (v != null && !v.isNull() && !v.isObject()) {
                throw Rejection.badRequest(RejectReason.INVALID_FIELD, at + "'" + field + "' must be a JSON object");
            }
        }
        for (String field : List.of("timestamp", "sentAt", "originalTimestamp")) {
            optionalString(m, field, at, "an ISO-8601 date string");
        }
        switch (type) {
            case "track" -> {
                JsonNode e = m.get("event");
                if (e == null || e.isNull() || (e.isTextual() && e.asText().isBlank())) {
                    throw Rejection.badRequest(RejectReason.MISSING_FIELD, at + "a track message needs 'event', the event name");
                }
                if (!e.isTextual()) {
                    throw Rejection.badRequest(RejectReason.INVALID_FIELD, at + "'event' must be a string");
                }
            }
            case "page", "screen" -> {
                optionalString(m, "name", at, "a string");
                optionalString(m, "category", at, "a string");
            }
            case "group" -> required(m, "groupId", at, "a group message needs 'groupId'");
            case "alias" -> required(m, "previousId", at, "an alias message needs 'previousId', the id it merges from");
            default -> { }
        }
    }

    /** True when present and non-empty; a present value must be a string or a number. */
    private static boolean identifier(ObjectNode m, String field, String at) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw Rejection.badRequest(RejectReason.INVALID_FIELD, at + "'" + field + "' must be a string or a number");
        }
        String s = v.asText();
        if (s.indexOf('\0') >= 0 || s.length() > MAX_ID_CHARS) {
            throw Rejection.badRequest(RejectReason.INVALID_FIELD,
                    at + "'" + field + "' must be at most " + MAX_ID_CHARS + " characters, without NUL characters");
        }
        return !s.isEmpty();
    }

    private static void required(ObjectNode m, String field, String at, String missing) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            throw Rejection.badRequest(RejectReason.MISSING_FIELD, at + missing);
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw Rejection.badRequest(RejectReason.INVALID_FIELD, at + "'" + field + "' must be a string or a number");
        }
    }

    private static void optionalString(ObjectNode m, String field, String at, String what) {
        JsonNode v = m.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw Rejection.badRequest(RejectReason.INVALID_FIELD, at + "'" + field + "' must be " + what);
        }
    }
}
