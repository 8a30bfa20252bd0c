package io.gridsync.server.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of object-sync runs in the state database ({@code source_runs}). At most one run per
 * source is queued or running at a time, across processes (the hub's scheduler, the admin API,
 * {@code ./gridsync source sync}): {@link #begin} checks and inserts in one transaction. A live run
 * moves its heartbeat; one whose heartbeat is older than {@link #ABANDONED_AFTER} belonged to a
 * process that died, and is closed as interrupted.
 */
public final class SourceRuns {

    /** How often a live run writes its heartbeat. */
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** A queued or running run without a heartbeat for this long is abandoned. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Long>> COUNTS = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final Database db;

    public SourceRuns(Database db) {
        this.db = db;
    }

    /**
     * A new queued run of {@code source}, or the run already queued or running (abandoned ones are
     * closed first). The nodes of a cluster take turns here, so two asking at once on two nodes
     * cannot both see no run and both begin one.
     */
    public BegunRun begin(String source, String trigger, Instant now) {
        return db.inTransaction(c -> {
            io.gridsync.server.cluster.ClusterLocks.serialize(db, c, "source-run:" + source);
            closeAbandoned(c, source, now);
            Optional<SourceRun> active = one(c, "SELECT * FROM source_runs WHERE source = ? AND status IN ('queued', 'running') "
                    + "ORDER BY id DESC", source);
            if (active.isPresent()) {
                return new BegunRun(active.get(), true);
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_runs (source, trigger_kind, status, started_at, "
                    + "heartbeat_at) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, source);
                ps.setString(2, trigger);
                ps.setString(3, RunStatus.QUEUED.wire());
                ps.setLong(4, now.toEpochMilli());
                ps.setLong(5, now.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            return new BegunRun(one(c, "SELECT * FROM source_runs WHERE id = ?", id).orElseThrow(), false);
        });
    }

    /** The worker picked the run up: running from {@code now} (the start time is when it was asked for). */
    public void running(long id, Instant now) {
        update("UPDATE source_runs SET status = 'running', heartbeat_at = ? WHERE id = ?", now.toEpochMilli(), id);
    }

    public void heartbeat(long id, Instant now) {
        update("UPDATE source_runs SET heartbeat_at = ? WHERE id = ? AND status IN ('queued', 'running')", now.toEpochMilli(), id);
    }

    /** Records how the run ended; returns the run as stored. */
    SourceRun finish(long id, RunOutcome outcome, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE source_runs SET status = ?, finished_at = ?, heartbeat_at = ?, "
                    + "rows_synced = ?, rows_deleted = ?, error = ?, missing_scopes = ? WHERE id = ?")) {
                ps.setString(1, outcome.status().wire());
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, now.toEpochMilli());
                ps.setString(4, json(outcome.rows()));
                ps.setString(5, json(outcome.deleted()));
                setNullable(ps, 6, outcome.error());
                setNullable(ps, 7, outcome.missingScopes().isEmpty() ? null : json(outcome.missingScopes()));
                ps.setLong(8, id);
                ps.executeUpdate();
            }
            return one(c, "SELECT * FROM source_runs WHERE id = ?", id).orElseThrow();
        });
    }

    public Optional<SourceRun> get(long id) {
        return db.query(c -> one(c, "SELECT * FROM source_runs WHERE id = ?", id));
    }

    /** The newest runs of {@code source}, newest first. */
    public List<SourceRun> list(String source, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM source_runs WHERE source = ? ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, source);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<SourceRun> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                    return out;
                }
            }
        });
    }

    /** The newest run of {@code source}, whatever its status. */
    public Optional<SourceRun> last(String source) {
        return db.query(c -> one(c, "SELECT * FROM source_runs WHERE source = ? ORDER BY id DESC", source));
    }

    /** Closes every run (of any source) whose process stopped answering; returns how many. */
    public int closeAbandoned(Instant now) {
        return db.inTransaction(c -> closeAbandoned(c, null, now));
    }

    private static int closeAbandoned(Connection c, String source, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE source_runs SET status = 'interrupted', finished_at = ?, error = ? "
                + "WHERE status IN ('queued', 'running') AND heartbeat_at < ?" + (source == null ? "" : " AND source = ?"))) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, "interrupted: the process running it stopped before it finished (no sign of life for "
                    + ABANDONED_AFTER.toMinutes() + " minutes); the next run syncs everything again");
            ps.setLong(3, now.minus(ABANDONED_AFTER).toEpochMilli());
            if (source != null) {
                ps.setString(4, source);
            }
            return ps.executeUpdate();
        }
    }

    private void update(String sql, long at, long id) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, at);
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    private static Optional<SourceRun> one(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static SourceRun row(ResultSet rs) throws SQLException {
        long finished = rs.getLong("finished_at");
        boolean hasFinished = !rs.wasNull();
        return new SourceRun(rs.getLong("id"), rs.getString("source"), rs.getString("trigger_kind"),
                RunStatus.fromWire(rs.getString("status")), Instant.ofEpochMilli(rs.getLong("started_at")),
                hasFinished ? Instant.ofEpochMilli(finished) : null, Instant.ofEpochMilli(rs.getLong("heartbeat_at")),
                read(rs.getString("rows_synced"), COUNTS), read(rs.getString("rows_deleted"), COUNTS), rs.getString("error"),
                read(rs.getString("missing_scopes"), STRINGS));
    }

    private static <T> T read(String json, TypeReference<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("source_runs holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }
}
