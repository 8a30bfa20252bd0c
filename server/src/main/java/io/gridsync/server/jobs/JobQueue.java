package io.gridsync.server.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.Outcome;
import io.gridsync.server.store.Database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable delivery jobs: one per message and subscription. Jobs are claimed with a lease naming the
 * node, renewed while it delivers, so a job held by a node that died is claimed again by another
 * once the lease runs out (on SQLite, where the hub is alone, at its next start);
 * each person's jobs are claimed in message order, and a person whose earlier job is waiting for a
 * retry waits with it. Failures are retried with exponential backoff and jitter, never before the
 * time SendGrid asked for, until they are older than the dead-letter age.
 */
public final class JobQueue {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JobQueue.class);
    private final io.gridsync.server.health.LogEvery gaveUpLog = new io.gridsync.server.health.LogEvery(Duration.ofMinutes(1));

    private static final ObjectMapper M = new ObjectMapper();
    static final long BACKOFF_BASE_MS = 1_000;
    static final long BACKOFF_MAX_MS = 10 * 60_000;

    private final Database db;
    private final Duration deadLetterAfter;

    public JobQueue(Database db, Duration deadLetterAfter) {
        this.db = db;
        this.deadLetterAfter = deadLetterAfter;
    }

    /** Adds jobs (a job already there for the same message and subscription is left alone), in the caller's transaction. */
    public void insert(Connection c, List<NewJob> jobs, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (integration_id, subscription, action, person_key, "
                + "message_seq, state, attempts, next_at, last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) "
                + "ON CONFLICT (integration_id, subscription, message_seq) DO NOTHING")) {
            for (NewJob j : jobs) {
                ps.setString(1, j.integrationId());
                ps.setString(2, j.subscription());
                ps.setString(3, j.action());
                ps.setString(4, j.personKey());
                ps.setLong(5, j.messageSeq());
                ps.setString(6, j.blocked() ? "blocked" : "pending");
                ps.setLong(7, now);
                ps.setString(8, j.blockedReason());
                ps.setLong(9, now);
                ps.setLong(10, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * At start on SQLite, where this hub is the only one (its data directory is locked): leases of
     * the previous run are released, so its jobs run again at once. On PostgreSQL other nodes may be
     * delivering their claimed jobs right now: leases there only expire.
     */
    public int releaseAllLeases() {
        if (db.dialect() != io.gridsync.server.store.Dialect.SQLITE) {
            return 0;
        }
        return update("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE state = 'pending' AND lease_owner IS NOT NULL");
    }

    /**
     * Claims up to {@code limit} due jobs of an integration for {@code owner} (a node) for
     * {@code leaseMillis}, oldest message first, skipping a person's jobs that come after one of
     * theirs still waiting or leased. Claims of one integration are serialised across nodes, so two
     * nodes never hold two of a person's jobs at once and deliver them out of order; rows another
     * node is recording are skipped (FOR UPDATE SKIP LOCKED), not waited for.
     */
    public List<Job> claim(String integrationId, String owner, long now, int limit, long leaseMillis) {
        boolean postgres = db.dialect() == io.gridsync.server.store.Dialect.POSTGRESQL;
        String select = "SELECT j.id, j.subscription, j.action, j.person_key, j.message_seq, j.attempts, j.created_at, m.body "
                + "FROM jobs j JOIN messages m ON m.seq = j.message_seq "
                + "WHERE j.integration_id = ? AND j.state = 'pending' AND j.next_at <= ? AND (j.lease_until IS NULL OR j.lease_until < ?) "
                + "AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.integration_id = j.integration_id AND e.person_key = j.person_key "
                + "AND e.state = 'pending' AND e.message_seq < j.message_seq AND (e.next_at > ? OR e.lease_until >= ?)) "
                + "ORDER BY j.message_seq, j.id LIMIT ?" + (postgres ? " FOR UPDATE OF j SKIP LOCKED" : "");
        return db.inTransaction(c -> {
            io.gridsync.server.cluster.ClusterLocks.serialize(db, c, "claim:" + integrationId);
            List<Job> selected = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(select)) {
                ps.setString(1, integrationId);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.setLong(5, now);
                ps.setInt(6, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        selected.add(new Job(rs.getLong(1), integrationId, rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getLong(5), rs.getInt(6), rs.getLong(7), parse(rs.getString(8))));
                    }
                }
            }
            List<Job> jobs = new ArrayList<>(selected.size());
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE id = ? AND (lease_until IS NULL OR lease_until < ?)")) {
                for (Job j : selected) {
                    ps.setString(1, owner);
                    ps.setLong(2, now + leaseMillis);
                    ps.setLong(3, j.id());
                    ps.setLong(4, now);
                    ps.addBatch();
                }
                int[] updated = ps.executeBatch();
                for (int i = 0; i < updated.length; i++) {
                    // a job another claim took meanwhile is not ours (its row changed between our read and our write)
                    if (updated[i] != 0) {
                        jobs.add(selected.get(i));
                    }
                }
            }
            return jobs;
        });
    }

    /**
     * Extends the leases {@code owner} holds to {@code until}: a node renews them while it delivers,
     * so a long batch keeps its jobs and a dead node's run out. Returns how many.
     */
    public int renewLeases(String owner, long until) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND state = 'pending' "
                     + "AND lease_until IS NOT NULL")) {
            ps.setLong(1, until);
            ps.setString(2, owner);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new io.gridsync.server.store.StoreException(e);
        }
    }

    /** Records each job's outcome and its attempt, in one transaction (no node named: a single hub's tests). */
    public void complete(List<JobResult> results, long now) {
        complete(results, now, null);
    }

    /**
     * Records each job's outcome and its attempt by {@code node}, in one transaction. A job whose
     * lease {@code node} lost meanwhile (it stalled past the lease; another node claimed it) keeps
     * the other node's state; the attempt is logged all the same, so the log shows both deliveries.
     */
    public void complete(List<JobResult> results, long now, String node) {
        db.inTransaction(c -> {
            try (PreparedStatement job = c.prepareStatement("UPDATE jobs SET state = ?, attempts = attempts + 1, next_at = ?, "
                    + "lease_owner = NULL, lease_until = NULL, last_status = ?, last_error = ?, updated_at = ? WHERE id = ?"
                    + (node == null ? "" : " AND lease_owner = ?"));
                 PreparedStatement attempt = c.prepareStatement("INSERT INTO attempts (job_id, message_seq, integration_id, action, "
                         + "outcome, status, detail, duration_ms, at, node) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (JobResult r : results) {
                    Job j = r.job();
                    Outcome o = r.outcome();
                    String state;
                    long nextAt = now;
                    String detail = o.detail();
                    if (o instanceof Outcome.Done) {
                        state = "done";
                    } else if (o instanceof Outcome.Dead) {
                        state = "dead";
                    } else if (o instanceof Outcome.Blocked) {
                        state = "blocked";
                    } else {
                        Outcome.Retry retry = (Outcome.Retry) o;
                        if (now - j.createdAt() >= deadLetterAfter.toMillis()) {
                            state = "dead";
                            detail = "gave up after " + deadLetterAfter.toHours() + " h of retries; last error: " + o.detail();
                            long n = gaveUpLog.tick(j.integrationId() + "|" + j.action());
                            if (n > 0) {
                                log.warn("{} {} job(s) of integration {} dead-lettered after {} h of retries; last error: {}; "
                                        + "see GET /v1/admin/dead-letters", n, j.action(), j.integrationId(),
                                        deadLetterAfter.toHours(), o.detail());
                            }
                        } else {
                            state = "pending";
                            nextAt = Math.max(retry.notBefore().toEpochMilli(), now + backoff(j.attempts() + 1));
                        }
                    }
                    job.setString(1, state);
                    job.setLong(2, nextAt);
                    setStatus(job, 3, o.status());
                    job.setString(4, o instanceof Outcome.Done ? null : detail);
                    job.setLong(5, now);
                    job.setLong(6, j.id());
                    if (node != null) {
                        job.setString(7, node);
                    }
                    job.addBatch();
                    attempt.setLong(1, j.id());
                    attempt.setLong(2, j.messageSeq());
                    attempt.setString(3, j.integrationId());
                    attempt.setString(4, j.action());
                    attempt.setString(5, state.equals("pending") ? "retry" : state);
                    setStatus(attempt, 6, o.status());
                    attempt.setString(7, detail);
                    attempt.setLong(8, r.durationMillis());
                    attempt.setLong(9, now);
                    attempt.setString(10, node);
                    attempt.addBatch();
                }
                job.executeBatch();
                attempt.executeBatch();
            }
            return null;
        });
    }

    /** Exponential backoff with full jitter between half and the whole step: 1 s, 2 s, 4 s ... 10 min. */
    static long backoff(int attempt) {
        long step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(20, Math.max(0, attempt - 1)));
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    /**
     * Pending jobs of the integration due at {@code now}, those leased to a node included, counted
     * up to {@code atMost}: the backlog the live nodes share (the bound keeps the count cheap on a
     * large one).
     */
    public int due(String integrationId, long now, int atMost) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE integration_id = ? "
                     + "AND state = 'pending' AND next_at <= ? LIMIT ?) due")) {
            ps.setString(1, integrationId);
            ps.setLong(2, now);
            ps.setInt(3, atMost);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new io.gridsync.server.store.StoreException(e);
        }
    }

    /**
     * The earliest time after {@code after} at which a pending job of the integration falls due, or
     * null when none does. Asked right after a claim at {@code after} that took every job it could:
     * the jobs due by then that it left are leased to a node or wait behind a person's earlier job,
     * so they are no reason to claim again before something changes (a retry falls due, counted here;
     * a node records a batch or its lease runs out, not seen here). One step into the jobs_due index.
     */
    public Long nextDueAfter(String integrationId, long after) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT MIN(next_at) FROM jobs WHERE integration_id = ? AND state = 'pending' "
                     + "AND next_at > ?")) {
            ps.setString(1, integrationId);
            ps.setLong(2, after);
            try (ResultSet rs = ps.executeQuery()) {
                long v = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() ? null : v;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Jobs not yet done, dead or blocked. */
    public long depth() {
        return count("SELECT COUNT(*) FROM jobs WHERE state = 'pending'");
    }

    public long count(String state, String integrationId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM jobs WHERE state = ?"
                     + (integrationId == null ? "" : " AND integration_id = ?"))) {
            ps.setString(1, state);
            if (integrationId != null) {
                ps.setString(2, integrationId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Dead letters, newest first. */
    public List<DeadLetter> deadLetters(String integrationId, int limit, int offset) {
        String sql = "SELECT j.id, j.integration_id, j.subscription, j.action, j.message_seq, m.message_id, j.attempts, j.last_status, "
                + "j.last_error, j.created_at, j.updated_at FROM jobs j JOIN messages m ON m.seq = j.message_seq WHERE j.state = 'dead'"
                + (integrationId == null ? "" : " AND j.integration_id = ?") + " ORDER BY j.updated_at DESC, j.id DESC LIMIT ? OFFSET ?";
        List<DeadLetter> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (integrationId != null) {
                ps.setString(i++, integrationId);
            }
            ps.setInt(i++, limit);
            ps.setInt(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int status = rs.getInt(8);
                    Integer lastStatus = rs.wasNull() ? null : status;
                    out.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getString(6), rs.getInt(7), lastStatus, rs.getString(9), rs.getLong(10), rs.getLong(11)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return out;
    }

    /**
     * Puts dead letters back in the queue, due now, with a fresh dead-letter age. {@code jobIds}
     * null replays every dead letter of the integration. Returns how many were replayed.
     */
    public int replay(String integrationId, List<Long> jobIds, long now) {
        if (jobIds != null && jobIds.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder("UPDATE jobs SET state = 'pending', next_at = ?, created_at = ?, updated_at = ?, "
                + "lease_owner = NULL, lease_until = NULL WHERE state = 'dead' AND integration_id = ?");
        if (jobIds != null) {
            sql.append(" AND id IN (").append("?,".repeat(jobIds.size() - 1)).append("?)");
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            ps.setLong(3, now);
            ps.setString(4, integrationId);
            if (jobIds != null) {
                for (int i = 0; i < jobIds.size(); i++) {
                    ps.setLong(5 + i, jobIds.get(i));
                }
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Gives up on dead letters for good: they become {@code discarded}, keep their reason and attempts
     * (the live events show them), and go with their message once the journal's retention has passed.
     * {@code jobIds} null discards every dead letter of the integration. Returns how many.
     */
    public int discard(String integrationId, List<Long> jobIds, long now) {
        if (jobIds != null && jobIds.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder("UPDATE jobs SET state = 'discarded', updated_at = ? WHERE state = 'dead' AND integration_id = ?");
        if (jobIds != null) {
            sql.append(" AND id IN (").append("?,".repeat(jobIds.size() - 1)).append("?)");
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setLong(1, now);
            ps.setString(2, integrationId);
            if (jobIds != null) {
                for (int i = 0; i < jobIds.size(); i++) {
                    ps.setLong(3 + i, jobIds.get(i));
                }
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private long count(String sql) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private int update(String sql) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static ObjectNode parse(String json) throws SQLException {
        try {
            return (ObjectNode) M.readTree(json);
        } catch (IOException e) {
            throw new SQLException("a journal message is not JSON: " + e.getMessage(), e);
        }
    }

    private static void setStatus(PreparedStatement ps, int index, int status) throws SQLException {
        if (status == 0) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, status);
        }
    }
}
