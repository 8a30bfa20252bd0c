package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.store.Database;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/admin/overview?minutes=60}: what the hub did lately, for the console's charts:
 * messages accepted and delivery attempts by outcome (delivered, retrying, dead, blocked) per time
 * bucket; the queue of jobs; SendGrid's answers and latency per action. Counted from the state
 * database (messages, jobs, attempts), so every node of a cluster answers the same.
 */
public final class OverviewRoutes {

    static final List<String> SERIES = List.of("accepted", "delivered", "retrying", "dead", "blocked");
    /** The SendGrid endpoint each action calls, for people who think in endpoints. */
    private static final Map<String, String> ENDPOINTS = Map.of(
            "upsert_contact", "PUT /v3/marketing/contacts",
            "sync_audience", "PUT /v3/marketing/contacts (list_ids)",
            "update_contact_fields", "PUT /v3/marketing/contacts (custom_fields)",
            "send_email", "POST /v3/mail/send",
            "delete_contact", "DELETE /v3/marketing/contacts");

    private final Database db;
    private final Clock clock;

    public OverviewRoutes(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void register(Javalin app) {
        app.get("/v1/admin/overview", AdminJson.guard(this::overview));
    }

    private void overview(Context ctx) throws Exception {
        int minutes = AdminJson.intParam(ctx, "minutes", 60, 5, 1440);
        long bucket = Math.max(60_000L, minutes * 60_000L / 60); // at most 60 points
        long to = (clock.millis() / bucket + 1) * bucket;
        long from = to - minutes * 60_000L;
        int n = (int) ((to - from) / bucket);
        long[][] counts = new long[SERIES.size()][n];
        ObjectNode body = AdminJson.MAPPER.createObjectNode();
        db.query(c -> {
            bucketed(c, "SELECT (received_at - ?) / ?, 'accepted', COUNT(*) FROM messages WHERE received_at >= ? GROUP BY 1", from, bucket, counts);
            bucketed(c, "SELECT (at - ?) / ?, outcome, COUNT(*) FROM attempts WHERE at >= ? GROUP BY 1, 2", from, bucket, counts);
            // consent blocks a job when it is made, without an attempt
            bucketed(c, "SELECT (created_at - ?) / ?, 'blocked', COUNT(*) FROM jobs WHERE state = 'blocked' AND attempts = 0 "
                    + "AND created_at >= ? GROUP BY 1", from, bucket, counts);
            body.set("queue", queue(c));
            body.set("endpoints", endpoints(c, from));
            return null;
        });
        body.put("from", Instant.ofEpochMilli(from).toString());
        body.put("to", Instant.ofEpochMilli(to).toString());
        body.put("bucket_seconds", bucket / 1000);
        ArrayNode buckets = body.putArray("buckets");
        for (int i = 0; i < n; i++) {
            ObjectNode b = buckets.addObject().put("start", Instant.ofEpochMilli(from + i * bucket).toString());
            for (int s = 0; s < SERIES.size(); s++) {
                b.put(SERIES.get(s), counts[s][i]);
            }
        }
        AdminJson.write(ctx, 200, body);
    }

    private static void bucketed(Connection c, String sql, long from, long bucket, long[][] counts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            ps.setLong(2, bucket);
            ps.setLong(3, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = (int) rs.getLong(1);
                    int s = SERIES.indexOf(series(rs.getString(2)));
                    if (s >= 0 && i >= 0 && i < counts[s].length) {
                        counts[s][i] += rs.getLong(3);
                    }
                }
            }
        }
    }

    /** An attempt's outcome as the charts name it. */
    private static String series(String outcome) {
        return switch (outcome) {
            case "done" -> "delivered";
            case "retry" -> "retrying";
            default -> outcome;
        };
    }

    private static ObjectNode queue(Connection c) throws SQLException {
        ObjectNode q = AdminJson.MAPPER.createObjectNode().put("pending", 0).put("retrying", 0).put("dead", 0);
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN state = 'pending' AND attempts > 0 THEN 'retrying' ELSE state END, "
                + "COUNT(*) FROM jobs WHERE state IN ('pending', 'dead') GROUP BY 1"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                q.put(rs.getString(1), rs.getLong(2));
            }
        }
        return q;
    }

    /** Per action and SendGrid status: how many attempts, their mean and longest time. */
    private static ArrayNode endpoints(Connection c, long from) throws SQLException {
        ArrayNode out = AdminJson.MAPPER.createArrayNode();
        try (PreparedStatement ps = c.prepareStatement("SELECT action, status, COUNT(*), AVG(duration_ms), MAX(duration_ms) FROM attempts "
                + "WHERE at >= ? GROUP BY action, status ORDER BY action, status")) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode o = out.addObject();
                    o.put("action", rs.getString(1));
                    o.put("endpoint", ENDPOINTS.getOrDefault(rs.getString(1), rs.getString(1)));
                    int status = rs.getInt(2);
                    if (rs.wasNull()) {
                        o.putNull("status"); // no answer: a timeout or a connection error
                    } else {
                        o.put("status", status);
                    }
                    o.put("attempts", rs.getLong(3));
                    o.put("mean_ms", Math.round(rs.getDouble(4)));
                    o.put("max_ms", rs.getLong(5));
                }
            }
        }
        return out;
    }
}
