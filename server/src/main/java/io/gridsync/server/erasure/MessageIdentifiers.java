package io.gridsync.server.erasure;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The identifiers a Segment message carries as its sender's: {@code userId}, {@code anonymousId}, the
 * email, phone_number_id and external_id of its traits (top level or in {@code context.traits}),
 * {@code context.externalIds}, and an alias's {@code previousId}. Properties are not the sender's identity (an invitation names a friend).
 */
final class MessageIdentifiers {

    private MessageIdentifiers() {}

    static Set<Identifier> of(JsonNode m) {
        Set<Identifier> out = new LinkedHashSet<>();
        add(out, "user_id", m.get("userId"));
        add(out, "anonymous_id", m.get("anonymousId"));
        if ("alias".equals(m.path("type").asText())) {
            // an alias says previousId (a user or an anonymous id) is the same person
            add(out, "user_id", m.get("previousId"));
            add(out, "anonymous_id", m.get("previousId"));
        }
        for (JsonNode holder : new JsonNode[]{m.get("traits"), m.path("context").get("traits")}) {
            if (holder != null && holder.isObject()) {
                add(out, "email", holder.get("email"));
                add(out, "phone_number_id", holder.get("phone_number_id"));
                add(out, "external_id", holder.get("external_id"));
            }
        }
        for (JsonNode e : m.path("context").path("externalIds")) {
            String type = e.path("type").asText("");
            String t = type.equalsIgnoreCase("email") ? "email" : type.equals("phone_number_id") ? "phone_number_id"
                    : type.equals("external_id") ? "external_id" : null;
            if (t != null) {
                add(out, t, e.get("id"));
            }
        }
        return out;
    }

    private static void add(Set<Identifier> out, String type, JsonNode v) {
        if (v != null && (v.isTextual() || v.isNumber()) && !v.asText().isBlank()) {
            out.add(new Identifier(type, v.asText()));
        }
    }

    /** Whether any text value anywhere in {@code node} is one of the identifiers that may match anywhere. */
    static boolean mentions(JsonNode node, Set<Identifier> ids) {
        if (node.isTextual()) {
            for (Identifier id : ids) {
                if (id.matchAnywhere() && id.matches(node.asText())) {
                    return true;
                }
            }
            return false;
        }
        for (JsonNode child : node) {
            if (mentions(child, ids)) {
                return true;
            }
        }
        return false;
    }
}
