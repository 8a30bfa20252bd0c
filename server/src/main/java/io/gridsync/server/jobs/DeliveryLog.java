package io.gridsync.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.store.Database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live events view: the most recent messages, and for each the jobs it became and every
 * delivery attempt (action, outcome, SendGrid status such as 202, error, time taken).
 */
public final class DeliveryLog {

    private static final ObjectMapper M = new ObjectMapper();

    private final Database db;

    public DeliveryLog(Database db) {
        this.db = db;
    }

    /** One message as {@link #recent} shows it, with its body under {@code message}; null when there is none (or no more). */
    public ObjectNode one(long seq) {
        ArrayNode found = recent(1, seq + 1);
        if (found.isEmpty() || found.get(0).get("seq").asLong() != seq) {
            return null;
        }
        ObjectNode m = (ObjectNode) found.get(0);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT body FROM messages WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    m.set("message", M.readTree(rs.getString(1)));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading message " + seq + " failed: " + e.getMessage(), e);
        }
        return m;
    }

    /** The message's email: in traits (identify), context.traits or properties (track), as the mappings' defaults read it. */
    private static JsonNode email(JsonNode body) {
        for (JsonNode v : new JsonNode[] {body.path("traits").get("email"), body.path("context").path("traits").get("email"),
                body.path("properties").get("email")}) {
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static void putText(ObjectNode o, String field, JsonNode v) {
        if (v != null && !v.isNull()) {
            o.put(field, v.isTextual() ? v.asText() : v.toString());
        }
    }

    /** Newest first; {@code beforeSeq} pages back (0 for the newest). */
    public ArrayNode recent(int limit, long beforeSeq) {
        ArrayNode out = M.createArrayNode();
        Map<Long, ObjectNode> bySeq = new LinkedHashMap<>();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, message_id, type, person_key, received_at, body FROM messages "
                    + (beforeSeq > 0 ? "WHERE seq < ? " : "") + "ORDER BY seq DESC LIMIT ?")) {
                int i = 1;
                if (beforeSeq > 0) {
                    ps.setLong(i++, beforeSeq);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode m = out.addObject();
                        m.put("seq", rs.getLong(1));
                        m.put("message_id", rs.getString(2));
                        m.put("type", rs.getString(3));
                        JsonNode body = M.readTree(rs.getString(6));
                        if (body.hasNonNull("event")) {
                            m.put("event", body.get("event").asText());
                        }
                        m.put("person", rs.getString(4));
                        putText(m, "user_id", body.get("userId"));
                        putText(m, "email", email(body));
                        m.put("received_at", java.time.Instant.ofEpochMilli(rs.getLong(5)).toString());
                        m.putArray("deliveries");
                        bySeq.put(rs.getLong(1), m);
                    }
                }
            }
            if (bySeq.isEmpty()) {
                return out;
            }
            String in = "?,".repeat(bySeq.size() - 1) + "?";
            Map<Long, ObjectNode> jobs = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, message_seq, integration_id, subscription, action, state, attempts, "
                    + "last_status, last_error FROM jobs WHERE message_seq IN (" + in + ") ORDER BY id")) {
                int i = 1;
                for (Long seq : bySeq.keySet()) {
                    ps.setLong(i++, seq);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode j = ((ArrayNode) bySeq.get(rs.getLong(2)).get("deliveries")).addObject();
                        j.put("job", rs.getLong(1));
                        j.put("integration", rs.getString(3));
                        j.put("subscription", rs.getString(4));
                        j.put("action", rs.getString(5));
                        j.put("state", rs.getString(6));
                        j.put("attempt_count", rs.getInt(7));
                        int status = rs.getInt(8);
                        if (!rs.wasNull()) {
                            j.put("last_status", status);
                        }
                        if (rs.getString(9) != null) {
                            j.put("last_error", rs.getString(9));
                        }
                        j.putArray("attempts");
                        jobs.put(rs.getLong(1), j);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id, outcome, status, detail, duration_ms, at FROM attempts "
                    + "WHERE message_seq IN (" + in + ") ORDER BY id")) {
                int i = 1;
                for (Long seq : bySeq.keySet()) {
                    ps.setLong(i++, seq);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode j = jobs.get(rs.getLong(1));
                        if (j == null) {
                            continue;
                        }
                        ObjectNode a = ((ArrayNode) j.get("attempts")).addObject();
                        a.put("outcome", rs.getString(2));
                        int status = rs.getInt(3);
                        if (!rs.wasNull()) {
                            a.put("status", status);
                        }
                        a.put("detail", rs.getString(4));
                        a.put("duration_ms", rs.getLong(5));
                        a.put("at", java.time.Instant.ofEpochMilli(rs.getLong(6)).toString());
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading the delivery log failed: " + e.getMessage(), e);
        }
        return out;
    }
}
