package io.gridsync.server.retention;

import io.gridsync.server.store.Database;

import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * Removes a table's rows older than a retention, a chunk at a time, with a DELETE of the form
 * {@code DELETE FROM t WHERE id IN (SELECT id FROM t WHERE <old> AND ... LIMIT ?)} whose two
 * parameters are the cutoff (epoch ms) and the chunk size.
 */
final class TablePurge implements Purge {

    private final Database db;
    private final String table;
    private final Duration retention;
    private final String delete;

    private TablePurge(Database db, String table, Duration retention, String delete) {
        this.db = db;
        this.table = table;
        this.retention = retention;
        this.delete = delete;
    }

    /** Object-sync runs that finished before the cutoff; each source's latest run stays (the scheduler counts from it). */
    static TablePurge sourceRuns(Database db, Duration retention) {
        return new TablePurge(db, "source_runs", retention, "DELETE FROM source_runs WHERE id IN (SELECT id FROM source_runs "
                + "WHERE status NOT IN ('queued', 'running') AND finished_at < ? "
                + "AND id NOT IN (SELECT MAX(id) FROM source_runs GROUP BY source) LIMIT ?)");
    }

    /** Cohort-sync runs that finished before the cutoff; each audience's latest run stays. */
    static TablePurge audienceRuns(Database db, Duration retention) {
        return new TablePurge(db, "audience_runs", retention, "DELETE FROM audience_runs WHERE id IN (SELECT id FROM audience_runs "
                + "WHERE finished_at < ? AND id NOT IN (SELECT MAX(id) FROM audience_runs GROUP BY integration_id, audience_key) LIMIT ?)");
    }

    /** Forwarded email events delivered before the cutoff; pending and dead rows stay. */
    static TablePurge deliveredForwards(Database db, Duration keep) {
        return new TablePurge(db, "forward_outbox", keep, "DELETE FROM forward_outbox WHERE id IN (SELECT id FROM forward_outbox "
                + "WHERE state = 'delivered' AND updated_at < ? LIMIT ?)");
    }

    @Override
    public Removed removeChunk(long now, int limit) {
        int removed = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(delete)) {
                ps.setLong(1, now - retention.toMillis());
                ps.setInt(2, limit);
                return ps.executeUpdate();
            }
        });
        return Removed.of(table, removed, removed == limit);
    }
}
