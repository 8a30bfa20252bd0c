package io.gridsync.emulator.singlesends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.Json;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Applies a create or update body to a Single Send, checking every member against SendGrid's
 * rules and reporting all problems of a request at once. Members left out (or, for the ones that
 * cannot be cleared, sent as null) keep their value, as SendGrid's PATCH documents.
 */
final class SingleSendChanges {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_CATEGORIES = 10;
    static final int MAX_LIST_IDS = 50;
    static final int MAX_SEGMENT_IDS = 10;
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private SingleSendChanges() {}

    /** The {@code email_config} of a new Single Send, as SendGrid answers it. */
    static ObjectNode defaultEmailConfig() {
        ObjectNode c = Json.object();
        c.put("subject", "");
        c.put("html_content", "");
        c.put("plain_content", "");
        c.put("generate_plain_content", true);
        c.put("editor", "code");
        c.putNull("suppression_group_id");
        c.putNull("custom_unsubscribe_url");
        c.putNull("sender_id");
        c.putNull("ip_pool");
        return c;
    }

    /** A new draft from a create body; {@code name} is required. */
    static SingleSend create(String id, long seq, ObjectNode body, Instant now) {
        SingleSend blank = new SingleSend(id, null, SingleSend.DRAFT, List.of(), null, List.of(), List.of(), false,
                defaultEmailConfig(), now, now, seq);
        return apply(blank, body, true, now);
    }

    static SingleSend apply(SingleSend base, ObjectNode body, boolean creating, Instant now) {
        ApiError.Collector errors = new ApiError.Collector();

        String name = base.name();
        JsonNode n = body.get("name");
        if (n == null || n.isNull()) {
            if (creating) {
                errors.add("name", "name is required: 1 to " + MAX_NAME_LENGTH + " characters");
            }
        } else if (!n.isTextual() || n.asText().isEmpty() || n.asText().length() > MAX_NAME_LENGTH) {
            errors.add("name", "name must be a string of 1 to " + MAX_NAME_LENGTH + " characters");
        } else {
            name = n.asText();
        }

        List<String> categories = base.categories();
        JsonNode c = body.get("categories");
        if (c != null && !c.isNull()) {
            categories = strings(c, "categories", MAX_CATEGORIES, false, errors);
        }

        String sendAt = base.sendAt();
        if (body.has("send_at")) {
            sendAt = sendAt(body.get("send_at"), errors);
        }

        List<String> listIds = base.listIds();
        List<String> segmentIds = base.segmentIds();
        boolean all = base.sendToAll();
        JsonNode to = body.get("send_to");
        if (to != null && !to.isNull()) {
            if (!to.isObject()) {
                errors.add("send_to", "send_to must be an object with list_ids, segment_ids and/or all");
            } else {
                if (to.hasNonNull("list_ids")) {
                    listIds = strings(to.get("list_ids"), "send_to.list_ids", MAX_LIST_IDS, true, errors);
                }
                if (to.hasNonNull("segment_ids")) {
                    segmentIds = strings(to.get("segment_ids"), "send_to.segment_ids", MAX_SEGMENT_IDS, true, errors);
                }
                if (to.hasNonNull("all")) {
                    if (to.get("all").isBoolean()) {
                        all = to.get("all").asBoolean();
                    } else {
                        errors.add("send_to.all", "send_to.all must be true or false");
                    }
                }
            }
        }

        ObjectNode config = base.emailConfig();
        JsonNode ec = body.get("email_config");
        if (ec != null && !ec.isNull()) {
            if (!ec.isObject()) {
                errors.add("email_config", "email_config must be an object");
            } else {
                applyEmailConfig(config, (ObjectNode) ec, errors);
            }
        }

        errors.throwIfAny(400);
        return new SingleSend(base.id(), name, base.status(), categories, sendAt, listIds, segmentIds, all, config,
                base.createdAt(), now, base.seq());
    }

    private static String sendAt(JsonNode v, ApiError.Collector errors) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add("send_at", "send_at must be an ISO 8601 date-time such as 2030-01-02T15:04:05Z, or null");
            return null;
        }
        if (v.asText().equalsIgnoreCase("now")) {
            errors.add("send_at", "send_at 'now' is only accepted by PUT /v3/marketing/singlesends/{id}/schedule; "
                    + "here give an ISO 8601 date-time or null");
            return null;
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant().truncatedTo(ChronoUnit.MILLIS).toString();
        } catch (DateTimeParseException e) {
            errors.add("send_at", "send_at '" + v.asText() + "' is not an ISO 8601 date-time such as 2030-01-02T15:04:05Z");
            return null;
        }
    }

    private static List<String> strings(JsonNode v, String field, int max, boolean uuids, ApiError.Collector errors) {
        List<String> out = new ArrayList<>();
        if (!v.isArray()) {
            errors.add(field, field + " must be an array of strings");
            return out;
        }
        if (v.size() > max) {
            errors.add(field, field + " holds " + v.size() + " items; at most " + max + " are allowed");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                errors.add(field, field + " must hold only strings, found " + item);
                continue;
            }
            String s = item.asText();
            if (uuids && !UUID.matcher(s).matches()) {
                errors.add(field, "'" + s + "' in " + field + " is not an id (a UUID)");
            }
            if (!seen.add(s)) {
                errors.add(field, "'" + s + "' appears more than once in " + field + "; items must be unique");
            }
            out.add(s);
        }
        return out;
    }

    private static void applyEmailConfig(ObjectNode config, ObjectNode ec, ApiError.Collector errors) {
        for (String key : List.of("subject", "html_content", "plain_content", "design_id")) {
            JsonNode v = ec.get(key);
            if (v != null && !v.isNull()) {
                if (v.isTextual()) {
                    config.put(key, v.asText());
                } else {
                    errors.add("email_config." + key, "email_config." + key + " must be a string");
                }
            }
        }
        JsonNode gen = ec.get("generate_plain_content");
        if (gen != null && !gen.isNull()) {
            if (gen.isBoolean()) {
                config.put("generate_plain_content", gen.asBoolean());
            } else {
                errors.add("email_config.generate_plain_content", "email_config.generate_plain_content must be true or false");
            }
        }
        JsonNode editor = ec.get("editor");
        if (editor != null && !editor.isNull()) {
            if (editor.isTextual() && (editor.asText().equals("code") || editor.asText().equals("design"))) {
                config.put("editor", editor.asText());
            } else {
                errors.add("email_config.editor", "email_config.editor must be \"code\" or \"design\"");
            }
        }
        for (String key : List.of("suppression_group_id", "sender_id")) {
            if (ec.has(key)) {
                JsonNode v = ec.get(key);
                if (v.isNull() || v.canConvertToLong() && v.isIntegralNumber()) {
                    config.set(key, v.isNull() ? JsonNodeFactory.instance.nullNode() : v);
                } else {
                    errors.add("email_config." + key, "email_config." + key + " must be an integer id or null");
                }
            }
        }
        if (ec.has("custom_unsubscribe_url")) {
            JsonNode v = ec.get("custom_unsubscribe_url");
            if (v.isNull()) {
                config.putNull("custom_unsubscribe_url");
            } else if (v.isTextual() && isHttpUrl(v.asText())) {
                config.put("custom_unsubscribe_url", v.asText());
            } else {
                errors.add("email_config.custom_unsubscribe_url",
                        "email_config.custom_unsubscribe_url must be an absolute http(s) URL or null");
            }
        }
        if (ec.has("ip_pool")) {
            JsonNode v = ec.get("ip_pool");
            if (v.isNull() || v.isTextual()) {
                config.set("ip_pool", v);
            } else {
                errors.add("email_config.ip_pool", "email_config.ip_pool must be a string or null");
            }
        }
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI u = new URI(s);
            return u.getHost() != null && ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
