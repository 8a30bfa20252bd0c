package io.gridsync.core.action.sendemail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.contact.ContactValidation;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.gridsync.core.action.ActionSupport.text;

/**
 * Checks a Send Email payload against SendGrid's mail-send rules and builds the request parts, so
 * that a bad send fails alone, with a message that says what to change, before anything is sent.
 */
final class EmailValidation {

    /** Headers SendGrid sets itself and refuses from callers (compared case-insensitively). */
    static final List<String> RESERVED_HEADERS = List.of("x-sg-id", "x-sg-eid", "received", "dkim-signature",
            "content-type", "content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc");
    static final int MAX_CATEGORIES = 10;
    static final int MAX_CATEGORY_LENGTH = 255;
    static final Duration MAX_SEND_AT_AHEAD = Duration.ofHours(72);
    static final int MAX_CUSTOM_ARGS_BYTES = 10_000;

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    private EmailValidation() {}

    static EmailRequest build(int input, ObjectNode p, Instant now) {
        ObjectNode shared = N.objectNode();
        ObjectNode from = address(p.get("from"), "from", true);
        String domain = text(p, "domain");
        if (domain != null) {
            String d = domain.toLowerCase(Locale.ROOT).replaceFirst("^@", "");
            String fromDomain = from.get("email").asText().substring(from.get("email").asText().indexOf('@') + 1).toLowerCase(Locale.ROOT);
            if (!fromDomain.equals(d) && !fromDomain.endsWith("." + d)) {
                throw new IllegalArgumentException("From email must be from the selected domain: " + from.get("email").asText()
                        + " is not in " + domain);
            }
        }
        shared.set("from", from);
        ObjectNode replyTo = p.hasNonNull("reply_to") ? address(p.get("reply_to"), "reply_to", false) : N.objectNode();
        ObjectNode reply = N.objectNode();
        reply.put("email", replyTo.hasNonNull("email") ? replyTo.get("email").asText() : from.get("email").asText());
        String replyName = replyTo.hasNonNull("name") ? replyTo.get("name").asText() : text(from, "name");
        if (replyName != null) {
            reply.put("name", replyName);
        }
        shared.set("reply_to", reply);

        String template = text(p, "template_id");
        if (template == null || !template.startsWith("d-")) {
            throw new IllegalArgumentException("Template must refer to a Dynamic Template. Dynamic Template IDs start with \"d-\""
                    + (template == null ? "" : "; got '" + template + "'"));
        }
        shared.put("template_id", template);

        JsonNode cats = p.get("categories");
        if (cats != null && !cats.isNull()) {
            Set<String> unique = new LinkedHashSet<>();
            for (JsonNode c : cats.isArray() ? cats : N.arrayNode().add(cats)) {
                String s = c.asText().trim();
                if (s.isEmpty()) {
                    continue;
                }
                if (s.length() > MAX_CATEGORY_LENGTH) {
                    throw new IllegalArgumentException("Category with name " + s.substring(0, 40) + "... exceeds the max length of "
                            + MAX_CATEGORY_LENGTH + " characters");
                }
                unique.add(s);
            }
            if (unique.size() > MAX_CATEGORIES) {
                throw new IllegalArgumentException("at most " + MAX_CATEGORIES + " categories per email; got " + unique.size());
            }
            if (!unique.isEmpty()) {
                ArrayNode arr = shared.putArray("categories");
                unique.forEach(arr::add);
            }
        }
        String pool = text(p, "ip_pool_name");
        if (pool != null) {
            if (pool.length() < 2 || pool.length() > 64) {
                throw new IllegalArgumentException("IP Pool Name should at least 2 characters and at most 64 characters in length");
            }
            shared.put("ip_pool_name", pool);
        }
        String group = text(p, "group_id");
        if (group != null) {
            try {
                shared.putObject("asm").put("group_id", Integer.parseInt(group));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Group ID value must be an integer; got '" + group + "'");
            }
        }
        if (p.path("sandbox_mode").asBoolean(false)) {
            shared.putObject("mail_settings").putObject("sandbox_mode").put("enable", true);
        }

        ObjectNode person = N.objectNode();
        Set<String> seen = new HashSet<>();
        ObjectNode to = address(p.get("to"), "to", true);
        seen.add(to.get("email").asText().toLowerCase(Locale.ROOT));
        person.putArray("to").add(to);
        int recipients = 1;
        for (String kind : List.of("cc", "bcc")) {
            JsonNode list = p.get(kind);
            if (list == null || list.isNull()) {
                continue;
            }
            ArrayNode out = N.arrayNode();
            for (JsonNode a : list.isArray() ? list : N.arrayNode().add(list)) {
                if (text(a, "email") == null) {
                    continue; // Segment drops cc/bcc entries without an email; so do we
                }
                ObjectNode addr = address(a, kind, true);
                if (seen.add(addr.get("email").asText().toLowerCase(Locale.ROOT))) {
                    out.add(addr);
                }
            }
            if (!out.isEmpty()) {
                person.set(kind, out);
                recipients += out.size();
            }
        }
        JsonNode headers = p.get("headers");
        if (headers != null && headers.isObject() && !headers.isEmpty()) {
            ObjectNode h = person.putObject("headers");
            headers.fields().forEachRemaining(e -> {
                if (RESERVED_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("Headers cannot contain any of the following reserved headers: "
                            + String.join(", ", RESERVED_HEADERS) + " (got '" + e.getKey() + "')");
                }
                h.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            });
        }
        JsonNode data = p.get("dynamic_template_data");
        if (data != null && data.isObject()) {
            person.set("dynamic_template_data", data);
        }
        JsonNode args = p.get("custom_args");
        if (args != null && args.isObject() && !args.isEmpty()) {
            ObjectNode a = person.putObject("custom_args");
            args.fields().forEachRemaining(e -> a.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            if (a.toString().length() > MAX_CUSTOM_ARGS_BYTES) {
                throw new IllegalArgumentException("custom_args are " + a.toString().length() + " bytes; SendGrid allows "
                        + MAX_CUSTOM_ARGS_BYTES);
            }
        }
        String sendAt = text(p, "send_at");
        if (sendAt != null) {
            Instant at;
            try {
                at = OffsetDateTime.parse(sendAt).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("send_at '" + sendAt + "' is not an ISO 8601 date-time such as 2024-09-23T12:00:00Z");
            }
            if (at.isBefore(now.minusSeconds(60)) || at.isAfter(now.plus(MAX_SEND_AT_AHEAD))) {
                throw new IllegalArgumentException("send_at should be less than 72 hours from now and not in the past; got " + sendAt);
            }
            person.put("send_at", at.getEpochSecond());
        }
        return new EmailRequest(input, shared, shared.toString(), person, recipients);
    }

    private static ObjectNode address(JsonNode node, String field, boolean emailRequired) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(field + " must be an object {email, name}");
        }
        ObjectNode out = N.objectNode();
        String email = text(node, "email");
        if (email == null) {
            if (emailRequired) {
                throw new IllegalArgumentException(field + ".email is missing");
            }
        } else {
            if (!ContactValidation.isEmail(email)) {
                throw new IllegalArgumentException(field + ".email '" + email + "' is not a valid email address");
            }
            out.put("email", email);
        }
        String name = text(node, "name");
        if (name != null) {
            out.put("name", name);
        }
        return out;
    }
}
