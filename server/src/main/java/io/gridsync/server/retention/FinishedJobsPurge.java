package io.gridsync.server.retention;

import io.gridsync.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes jobs that finished well more than the journal's retention ago, with their attempts.
 * Finished for good: {@code done} (delivered), {@code blocked} (consent withheld it, on purpose;
 * nothing ever runs a blocked job again) or {@code discarded} (a dead letter discarded through the
 * admin API). Pending jobs (new or retrying) and dead letters are never touched: a dead letter stays,
 * with every attempt, until it is replayed (and delivered) or discarded.
 */
final class FinishedJobsPurge implements Purge {

    /** The job states retention may remove (JobQueue names them; discarded: a dead letter an operator gave up on). */
    static final String FINISHED = "('done', 'blocked', 'discarded')";

    private final Database db;
    private final Duration retention;

    FinishedJobsPurge(Database db, Duration retention) {
        this.db = db;
        this.retention = retention;
    }

    @Override
    public Removed removeChunk(long now, int limit) {
        long cutoff = now - retention.toMillis();
        return db.inTransaction(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM jobs WHERE state IN " + FINISHED + " AND updated_at < ? LIMIT ?")) {
                ps.setLong(1, cutoff);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            if (ids.isEmpty()) {
                return Removed.nothing();
            }
            long attempts = deleteByIds(c, "DELETE FROM attempts WHERE job_id IN ", ids, "");
            // the state again: a job cannot leave done or blocked, but say what may be removed where it is removed
            long jobs = deleteByIds(c, "DELETE FROM jobs WHERE id IN ", ids, " AND state IN " + FINISHED);
            return Removed.of("jobs", jobs, "attempts", attempts, ids.size() == limit);
        });
    }

    private static long deleteByIds(Connection c, String sql, List<Long> ids, String andWhere) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql + "(" + "?,".repeat(ids.size() - 1) + "?)" + andWhere)) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 1, ids.get(i));
            }
            return ps.executeUpdate();
        }
    }
}
