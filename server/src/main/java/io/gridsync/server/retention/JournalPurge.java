package io.gridsync.server.retention;

import io.gridsync.server.router.Router;
import io.gridsync.server.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

/**
 * Removes journal messages older than the journal's retention that are done with: routed (at or
 * below the router's cursor, so their jobs exist) and left with no job (FinishedJobsPurge, which runs
 * first, removes finished jobs; a pending, retrying or dead job keeps its message). Messages are
 * walked in seq order a window at a time, so messages held by dead letters are stepped over, not
 * read again for every chunk.
 */
final class JournalPurge implements Purge {

    private final Database db;
    private final Duration retention;
    /** The last seq this pass has looked at. */
    private long afterSeq;

    JournalPurge(Database db, Duration retention) {
        this.db = db;
        this.retention = retention;
    }

    @Override
    public void startPass() {
        afterSeq = 0;
    }

    @Override
    public Removed removeChunk(long now, int limit) {
        long cutoff = now - retention.toMillis();
        long routed = routerCursor();
        // the window: the next `limit` routed messages
        long[] window = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, received_at FROM messages WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, afterSeq);
                ps.setLong(2, routed);
                ps.setInt(3, limit);
                long last = -1;
                long count = 0;
                boolean reachedNew = false;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        count++;
                        reachedNew |= rs.getLong(2) >= cutoff;
                    }
                }
                return new long[]{last, count, reachedNew ? 1 : 0};
            }
        });
        if (window[1] == 0) {
            return Removed.nothing();
        }
        long from = afterSeq;
        long to = window[0];
        // the conditions again in the DELETEs themselves: what decides is what is true when they run
        String done = "seq > ? AND seq <= ? AND received_at < ? AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.message_seq = messages.seq)";
        int[] removed = db.inTransaction(c -> {
            // the lifetime-value ledger's record that a message was counted goes with the message: it guards
            // against counting a redelivery twice, and a message without jobs is delivered no more (the
            // running totals stay in value_totals). Without this the ledger grew by a row per order forever.
            int ledger;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM value_applied WHERE message_id IN (SELECT message_id FROM messages WHERE " + done + ")")) {
                bind(ps, from, to, cutoff);
                ledger = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM messages WHERE " + done)) {
                bind(ps, from, to, cutoff);
                return new int[]{ps.executeUpdate(), ledger};
            }
        });
        afterSeq = to;
        // seqs grow with received_at: once the window holds a message too young, the rest are younger
        return Removed.of("messages", removed[0], "value_applied", removed[1], window[1] == limit && window[2] == 0);
    }

    private static void bind(PreparedStatement ps, long from, long to, long cutoff) throws java.sql.SQLException {
        ps.setLong(1, from);
        ps.setLong(2, to);
        ps.setLong(3, cutoff);
    }

    private long routerCursor() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM cursors WHERE name = ?")) {
                ps.setString(1, Router.CURSOR);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }
}
