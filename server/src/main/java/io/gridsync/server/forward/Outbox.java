package io.gridsync.server.forward;

import io.gridsync.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable queue of events to forward, in the hub's state database (table forward_outbox). A
 * webhook post adds its events before it is answered, so an acknowledged event is forwarded even
 * if the hub stops right after; an event already in the outbox for the source is not added again,
 * so SendGrid's retries and duplicates are forwarded once.
 */
public final class Outbox {

    private final Database db;
    private final Clock clock;

    public Outbox(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Adds the items not in the outbox yet; returns how many were new. */
    public int add(String source, List<OutboxItem> items) {
        if (items.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        return db.inTransaction(c -> {
            int added = 0;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO forward_outbox (source, event_id, body, state, attempts, next_at, "
                    + "created_at, updated_at) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING")) {
                for (OutboxItem i : items) {
                    ps.setString(1, source);
                    ps.setString(2, i.eventId());
                    ps.setString(3, i.body());
                    ps.setLong(4, now);
                    ps.setLong(5, now);
                    ps.setLong(6, now);
                    ps.addBatch();
                }
                for (int n : ps.executeBatch()) {
                    added += Math.max(n, 0);
                }
            }
            return added;
        });
    }

    /** Pending rows due now, oldest first. */
    List<OutboxEntry> due(int limit) {
        long now = clock.millis();
        return db.query(c -> {
            List<OutboxEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, source, event_id, body, attempts, created_at FROM forward_outbox "
                    + "WHERE state = 'pending' AND next_at <= ? ORDER BY id LIMIT " + limit)) {
                ps.setLong(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboxEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                                rs.getLong(6)));
                    }
                }
            }
            return out;
        });
    }

    /** Delivered; the status and error of the last failure, if any, stay for the admin view. */
    void delivered(List<OutboxEntry> entries) {
        update(entries, "delivered", clock.millis(), null, null);
    }

    void retry(List<OutboxEntry> entries, long nextAt, Integer status, String error) {
        update(entries, "pending", nextAt, status, error);
    }

    void dead(List<OutboxEntry> entries, Integer status, String error) {
        update(entries, "dead", clock.millis(), status, error);
    }

    /** Sets the state; status and error of the last failure are kept when none are given. */
    private void update(List<OutboxEntry> entries, String state, long nextAt, Integer status, String error) {
        long now = clock.millis();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE forward_outbox SET state = ?, attempts = attempts + 1, next_at = ?, "
                    + "last_status = COALESCE(?, last_status), last_error = COALESCE(?, last_error), updated_at = ? WHERE id = ?")) {
                for (OutboxEntry e : entries) {
                    ps.setString(1, state);
                    ps.setLong(2, nextAt);
                    if (status == null) {
                        ps.setNull(3, Types.INTEGER);
                    } else {
                        ps.setInt(3, status);
                    }
                    ps.setString(4, error);
                    ps.setLong(5, now);
                    ps.setLong(6, e.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public OutboxStats stats(String source) {
        return db.query(c -> {
            long pending = count(c, source, "pending");
            long delivered = count(c, source, "delivered");
            long dead = count(c, source, "dead");
            Integer status = null;
            String error = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_status, last_error FROM forward_outbox WHERE source = ? "
                    + "AND last_error IS NOT NULL ORDER BY updated_at DESC, id DESC LIMIT 1")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        int s = rs.getInt(1);
                        status = rs.wasNull() ? null : s;
                        error = rs.getString(2);
                    }
                }
            }
            return new OutboxStats(pending, delivered, dead, status, error);
        });
    }

    private static long count(Connection c, String source, String state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM forward_outbox WHERE source = ? AND state = ?")) {
            ps.setString(1, source);
            ps.setString(2, state);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
