package io.gridsync.server.audiences;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.ChangeListeners;
import io.gridsync.server.store.Database;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Scheduled cohort syncs in the state database; JDBC URLs and passwords are sealed with the hub's {@link SecretBox}. */
public final class ScheduledSyncs {

    public static final Set<String> SCHEDULES = Set.of("once", "hourly", "daily");
    private static final ObjectMapper M = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final SecretBox box;
    private final ChangeListeners listeners = new ChangeListeners("scheduled syncs");

    public ScheduledSyncs(Database db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    /** Runs {@code listener} after a sync was created, deleted or made due through this class (not after a run's own bookkeeping). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public ScheduledSync create(String integrationId, String key, CohortSourceSpec source, String listName, Map<String, String> map,
                                boolean reconcile, String schedule, long now) {
        if (!SCHEDULES.contains(schedule)) {
            throw new IllegalArgumentException("schedule must be one of once, hourly, daily; got '" + schedule + "'");
        }
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        String id = "sync_" + HexFormat.of().formatHex(b);
        db.inTransaction(c -> {
            AudienceStore.ensure(c, integrationId, key, listName == null ? key : listName, "cohort", now);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audience_syncs (id, integration_id, audience_key, csv_path, "
                    + "jdbc_url_sealed, jdbc_user, jdbc_password_sealed, jdbc_query, list_name, field_map, reconcile, schedule, enabled, "
                    + "next_run_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, integrationId);
                ps.setString(3, key);
                ps.setString(4, source.csv() == null ? null : source.csv().toString());
                ps.setString(5, source.jdbcUrl() == null ? null : box.seal(source.jdbcUrl()));
                ps.setString(6, source.user());
                ps.setString(7, source.password() == null ? null : box.seal(source.password()));
                ps.setString(8, source.query());
                ps.setString(9, listName);
                ps.setString(10, M.writeValueAsString(map));
                ps.setInt(11, reconcile ? 1 : 0);
                ps.setString(12, schedule);
                ps.setLong(13, now);
                ps.setLong(14, now);
                ps.executeUpdate();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        listeners.changed();
        return get(id).orElseThrow();
    }

    public Optional<ScheduledSync> get(String id) {
        List<ScheduledSync> l = select("SELECT * FROM audience_syncs WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public List<ScheduledSync> list(String integrationId, String key) {
        return select("SELECT * FROM audience_syncs WHERE integration_id = ? AND audience_key = ? ORDER BY created_at, id", integrationId, key);
    }

    /** Enabled syncs whose time has come, oldest first. */
    List<ScheduledSync> due(long now) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audience_syncs WHERE enabled = 1 AND next_run_at <= ? "
                    + "ORDER BY next_run_at, id")) {
                ps.setLong(1, now);
                return rows(ps);
            }
        });
    }

    public boolean delete(String integrationId, String key, String id) {
        return changedIf(db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM audience_syncs WHERE id = ? AND integration_id = ? AND audience_key = ?")) {
                ps.setString(1, id);
                ps.setString(2, integrationId);
                ps.setString(3, key);
                return ps.executeUpdate() == 1;
            }
        }));
    }

    /** Makes the sync due now (again, for a finished {@code once}). */
    public boolean runNow(String integrationId, String key, String id, long now) {
        return changedIf(db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE audience_syncs SET enabled = 1, next_run_at = ? "
                    + "WHERE id = ? AND integration_id = ? AND audience_key = ?")) {
                ps.setLong(1, now);
                ps.setString(2, id);
                ps.setString(3, integrationId);
                ps.setString(4, key);
                return ps.executeUpdate() == 1;
            }
        }));
    }

    private boolean changedIf(boolean changed) {
        if (changed) {
            listeners.changed();
        }
        return changed;
    }

    /** Sets the next run before this one starts, so a crash mid-run does not repeat it in a loop. */
    void started(ScheduledSync s, long now) {
        Long next = switch (s.schedule()) {
            case "hourly" -> now + Duration.ofHours(1).toMillis();
            case "daily" -> now + Duration.ofDays(1).toMillis();
            default -> null;
        };
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE audience_syncs SET enabled = ?, next_run_at = ?, last_run_at = ? "
                    + "WHERE id = ?")) {
                ps.setInt(1, next == null ? 0 : 1);
                if (next == null) {
                    ps.setNull(2, Types.BIGINT);
                } else {
                    ps.setLong(2, next);
                }
                ps.setLong(3, now);
                ps.setString(4, s.id());
                return ps.executeUpdate();
            }
        });
    }

    void finished(String id, String outcome) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE audience_syncs SET last_outcome = ? WHERE id = ?")) {
                ps.setString(1, outcome);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** The sync as the API shows it: the JDBC URL with its password masked, never the password. */
    public static ObjectNode toJson(ScheduledSync s) {
        ObjectNode o = M.createObjectNode();
        o.put("id", s.id());
        o.put("audience", s.audienceKey());
        o.put("integration", s.integrationId());
        ObjectNode src = o.putObject("source");
        if (s.source().csv() != null) {
            src.put("csv", s.source().csv().toString());
        } else {
            src.put("jdbc_url", CohortSourceSpec.maskUrl(s.source().jdbcUrl()));
            src.put("query", s.source().query());
            if (s.source().user() != null) {
                src.put("user", s.source().user());
            }
            if (s.source().password() != null) {
                src.put("password", "***");
            }
        }
        o.put("schedule", s.schedule());
        o.put("list_name", s.listName());
        o.set("map", M.valueToTree(s.map()));
        o.put("reconcile", s.reconcile());
        o.put("enabled", s.enabled());
        o.put("next_run_at", s.nextRunAt() == null ? null : Instant.ofEpochMilli(s.nextRunAt()).toString());
        o.put("last_run_at", s.lastRunAt() == null ? null : Instant.ofEpochMilli(s.lastRunAt()).toString());
        o.put("last_outcome", s.lastOutcome());
        o.put("created_at", Instant.ofEpochMilli(s.createdAt()).toString());
        return o;
    }

    private List<ScheduledSync> select(String sql, String... params) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setString(i + 1, params[i]);
                }
                return rows(ps);
            }
        });
    }

    private List<ScheduledSync> rows(PreparedStatement ps) throws SQLException {
        List<ScheduledSync> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    private ScheduledSync row(ResultSet rs) throws SQLException {
        String csv = rs.getString("csv_path");
        String url = rs.getString("jdbc_url_sealed");
        String pw = rs.getString("jdbc_password_sealed");
        CohortSourceSpec spec = csv != null ? CohortSourceSpec.csv(Path.of(csv))
                : CohortSourceSpec.jdbc(box.unseal(url), rs.getString("jdbc_user"), pw == null ? null : box.unseal(pw),
                rs.getString("jdbc_query"));
        Map<String, String> map;
        try {
            map = M.readValue(rs.getString("field_map"), MAP);
        } catch (IOException e) {
            map = Map.of();
        }
        long next = rs.getLong("next_run_at");
        Long nextRunAt = rs.wasNull() ? null : next;
        long last = rs.getLong("last_run_at");
        Long lastRunAt = rs.wasNull() ? null : last;
        return new ScheduledSync(rs.getString("id"), rs.getString("integration_id"), rs.getString("audience_key"), spec,
                rs.getString("list_name"), map, rs.getInt("reconcile") == 1, rs.getString("schedule"), rs.getInt("enabled") == 1,
                nextRunAt, lastRunAt, rs.getString("last_outcome"), rs.getLong("created_at"));
    }
}
