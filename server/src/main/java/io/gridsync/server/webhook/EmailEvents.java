package io.gridsync.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.warehouse.WarehouseTable;

import java.io.IOException;
import java.time.Instant;

/**
 * SendGrid events as Segment "Email Events" spec track messages: delivered -> Email Delivered, open
 * -> Email Opened, click -> Email Link Clicked, bounce -> Email Bounced, spamreport -> Email Marked as
 * Spam, unsubscribe and group_unsubscribe -> Unsubscribed; other types are not forwarded. The
 * person is the custom argument {@code userId} or {@code user_id} when the send carried one, else
 * the address as anonymousId; the address is always {@code context.traits.email}.
 */
final class EmailEvents {

    private static final ObjectMapper M = new ObjectMapper();

    private EmailEvents() {}

    /** The spec event name, or null when the type is not forwarded. */
    static String specName(EventType type) {
        return switch (type) {
            case DELIVERED -> "Email Delivered";
            case OPEN -> "Email Opened";
            case CLICK -> "Email Link Clicked";
            case BOUNCE -> "Email Bounced";
            case SPAM_REPORT -> "Email Marked as Spam";
            case UNSUBSCRIBE, GROUP_UNSUBSCRIBE -> "Unsubscribed";
            default -> null;
        };
    }

    /** The track message for a row of the type's table, or null when the type is not forwarded. */
    static ObjectNode track(EventType type, Object[] row) {
        String name = specName(type);
        if (name == null) {
            return null;
        }
        WarehouseTable t = EventTables.table(type);
        ObjectNode m = M.createObjectNode();
        m.put("type", "track");
        m.put("event", name);
        String eventId = (String) get(t, row, "sg_event_id");
        m.put("messageId", "sendgrid-" + eventId); // stable: a destination that de-duplicates sees one message
        Instant at = (Instant) get(t, row, "timestamp");
        if (at != null) {
            m.put("timestamp", at.toString());
        }
        String email = (String) get(t, row, "email");
        JsonNode custom = customArgs((String) get(t, row, "custom_args"));
        String userId = text(custom, "userId", text(custom, "user_id", null));
        if (userId != null) {
            m.put("userId", userId);
        } else {
            m.put("anonymousId", email);
        }
        ObjectNode p = m.putObject("properties");
        put(p, "email_id", get(t, row, "sg_message_id"));
        put(p, "campaign_id", first(get(t, row, "marketing_campaign_id"), get(t, row, "singlesend_id")));
        put(p, "campaign_name", first(get(t, row, "marketing_campaign_name"), get(t, row, "singlesend_name")));
        put(p, "email_subject", text(custom, "email_subject", null));
        switch (type) {
            case CLICK -> {
                put(p, "link_url", get(t, row, "url"));
                JsonNode offset = parse((String) get(t, row, "url_offset"));
                if (offset != null && offset.has("index")) {
                    p.put("link_id", offset.path("index").asText());
                }
            }
            case BOUNCE -> {
                put(p, "reason", get(t, row, "reason"));
                put(p, "bounce_type", get(t, row, "type"));
                put(p, "bounce_classification", get(t, row, "bounce_classification"));
                put(p, "status", get(t, row, "status"));
            }
            case GROUP_UNSUBSCRIBE -> {
                Object group = get(t, row, "asm_group_id");
                if (group != null) {
                    p.put("list_id", group.toString());
                }
            }
            default -> {
                // the common properties only
            }
        }
        p.put("event_id", eventId);
        p.put("sendgrid_event", type.eventName);
        JsonNode categories = parse((String) get(t, row, "category"));
        if (categories != null) {
            p.set("categories", categories);
        }
        put(p, "template_id", get(t, row, "sg_template_id"));
        ObjectNode context = m.putObject("context");
        context.putObject("traits").put("email", email);
        put(context, "ip", get(t, row, "ip"));
        put(context, "userAgent", get(t, row, "useragent"));
        context.putObject("integration").put("name", "sendgrid");
        context.putObject("library").put("name", "gridsync");
        return m;
    }

    private static Object get(WarehouseTable t, Object[] row, String column) {
        int i = t.indexOf(column);
        return i < 0 ? null : row[i];
    }

    private static Object first(Object a, Object b) {
        return a != null ? a : b;
    }

    private static void put(ObjectNode o, String field, Object value) {
        if (value != null) {
            o.put(field, value.toString());
        }
    }

    private static JsonNode customArgs(String json) {
        JsonNode n = parse(json);
        return n == null ? M.createObjectNode() : n;
    }

    private static String text(JsonNode o, String field, String fallback) {
        JsonNode v = o.get(field);
        return v != null && v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? v.asText() : fallback;
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return M.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
