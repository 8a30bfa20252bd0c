package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.store.Database;
import io.gridsync.server.store.Dialect;
import io.gridsync.server.store.StoreException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Audiences and their members in the state database: the audience rows (list, last sync, a lease
 * so two syncs of one audience never overlap), members read back as a stream (a cohort of
 * millions is never loaded as rows), and member changes written in batches, one transaction each.
 */
public final class AudienceStore {

    private static final ObjectMapper M = new ObjectMapper();
    /** Rows fetched per round trip when streaming members from PostgreSQL. */
    private static final int FETCH = 10_000;

    private final Database db;

    public AudienceStore(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    // ---- audiences -----------------------------------------------------------------------------

    public Optional<Audience> get(String integrationId, String key) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audiences WHERE integration_id = ? AND audience_key = ?")) {
                ps.setString(1, integrationId);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<Audience>empty();
                }
            }
        });
    }

    public List<Audience> list(String integrationId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM audiences WHERE integration_id = ? ORDER BY audience_key")) {
                ps.setString(1, integrationId);
                List<Audience> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    /** Creates the audience when it does not exist (its list named {@code listName}); an existing one is left as it is. */
    public void ensure(String integrationId, String key, String listName, String origin, long now) {
        db.query(c -> {
            ensure(c, integrationId, key, listName, origin, now);
            return null;
        });
    }

    static void ensure(Connection c, String integrationId, String key, String listName, String origin, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audiences (integration_id, audience_key, list_name, origin, "
                + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (integration_id, audience_key) DO NOTHING")) {
            ps.setString(1, integrationId);
            ps.setString(2, key);
            ps.setString(3, listName);
            ps.setString(4, origin);
            ps.setLong(5, now);
            ps.setLong(6, now);
            ps.executeUpdate();
        }
    }

    /** Records the list the audience is kept in (a null id keeps the stored one) and where its membership came from. */
    public void setList(String integrationId, String key, String listName, String listId, String origin, long now) {
        db.query(c -> {
            setList(c, integrationId, key, listName, listId, origin, now);
            return null;
        });
    }

    static void setList(Connection c, String integrationId, String key, String listName, String listId, String origin, long now)
            throws SQLException {
        ensure(c, integrationId, key, listName, origin, now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE audiences SET list_name = ?, list_id = COALESCE(?, list_id), "
                + "origin = ?, updated_at = ? WHERE integration_id = ? AND audience_key = ?")) {
            ps.setString(1, listName);
            ps.setString(2, listId);
            ps.setString(3, origin);
            ps.setLong(4, now);
            ps.setString(5, integrationId);
            ps.setString(6, key);
            ps.executeUpdate();
        }
    }

    /** Forgets a list id SendGrid no longer has, so the next sync finds or creates the list by name. */
    public void forgetListId(String integrationId, String key) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE audiences SET list_id = NULL WHERE integration_id = ? AND audience_key = ?")) {
                ps.setString(1, integrationId);
                ps.setString(2, key);
                return ps.executeUpdate();
            }
        });
    }

    /** The last sync's time, outcome ({@code ok}, {@code partial}, {@code failed}) and counts. */
    public void recordSync(String integrationId, String key, long at, String outcome, JsonNode summary) {
        db.query(c -> {
            recordSync(c, integrationId, key, at, outcome, summary);
            return null;
        });
    }

    static void recordSync(Connection c, String integrationId, String key, long at, String outcome, JsonNode summary)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE audiences SET last_sync_at = ?, last_outcome = ?, "
                + "last_summary = COALESCE(?, last_summary) WHERE integration_id = ? AND audience_key = ?")) {
            ps.setLong(1, at);
            ps.setString(2, outcome);
            ps.setString(3, summary == null ? null : summary.toString());
            ps.setString(4, integrationId);
            ps.setString(5, key);
            ps.executeUpdate();
        }
    }

    /**
     * Takes the audience's lease for {@code owner} until {@code now + leaseMillis}: false when another
     * owner holds an unexpired one. The audience must exist ({@link #ensure}).
     */
    public boolean lock(String integrationId, String key, String owner, long now, long leaseMillis) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE audiences SET locked_by = ?, locked_until = ? "
                    + "WHERE integration_id = ? AND audience_key = ? AND (locked_until IS NULL OR locked_until < ? OR locked_by = ?)")) {
                ps.setString(1, owner);
                ps.setLong(2, now + leaseMillis);
                ps.setString(3, integrationId);
                ps.setString(4, key);
                ps.setLong(5, now);
                ps.setString(6, owner);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public void unlock(String integrationId, String key, String owner) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE audiences SET locked_by = NULL, locked_until = NULL "
                    + "WHERE integration_id = ? AND audience_key = ? AND locked_by = ?")) {
                ps.setString(1, integrationId);
                ps.setString(2, key);
                ps.setString(3, owner);
                return ps.executeUpdate();
            }
        });
    }

    // ---- members -------------------------------------------------------------------------------

    public AudienceCounts counts(String integrationId, String key) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT "
                    + "COALESCE(SUM(CASE WHEN desired = 1 THEN 1 ELSE 0 END), 0), "
                    + "COALESCE(SUM(CASE WHEN in_list = 1 THEN 1 ELSE 0 END), 0), "
                    + "COALESCE(SUM(CASE WHEN pending = 1 THEN 1 ELSE 0 END), 0), "
                    + "COALESCE(SUM(CASE WHEN pending = 0 AND last_error IS NOT NULL AND desired <> in_list THEN 1 ELSE 0 END), 0) "
                    + "FROM audience_members WHERE integration_id = ? AND audience_key = ?")) {
                ps.setString(1, integrationId);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new AudienceCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                }
            }
        });
    }

    /** Streams the audience's stored members to {@code each}, without holding them. */
    void forEachMember(String integrationId, String key, Consumer<MemberState> each) {
        stream("SELECT email, desired, in_list, fields_hash, pending FROM audience_members "
                + "WHERE integration_id = ? AND audience_key = ?", integrationId, key, rs -> {
            long hash = rs.getLong(4);
            each.accept(new MemberState(rs.getString(1), rs.getInt(2) == 1, rs.getInt(3) == 1, rs.wasNull() ? null : hash,
                    rs.getInt(5) == 1));
        });
    }

    /** A few stored members, for examples in reports. */
    public List<String> sampleMembers(String integrationId, String key, boolean inList, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT email FROM audience_members WHERE integration_id = ? "
                    + "AND audience_key = ? AND in_list = ? ORDER BY email LIMIT " + limit)) {
                ps.setString(1, integrationId);
                ps.setString(2, key);
                ps.setInt(3, inList ? 1 : 0);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    /** Applies member changes in one transaction. */
    void write(String integrationId, String key, List<MemberWrite> writes, long now) {
        if (writes.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            write(c, integrationId, key, writes, now);
            return null;
        });
    }

    static void write(Connection c, String integrationId, String key, List<MemberWrite> writes, long now) throws SQLException {
        try (PreparedStatement set = c.prepareStatement("INSERT INTO audience_members (integration_id, audience_key, email, desired, "
                + "in_list, fields_hash, pending, pending_fields, revision, attempts, next_at, last_error, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, 0, NULL, 0, 0, 0, ?, ?) ON CONFLICT (integration_id, audience_key, email) DO UPDATE SET "
                + "desired = excluded.desired, in_list = excluded.in_list, fields_hash = excluded.fields_hash, pending = 0, "
                + "pending_fields = NULL, attempts = 0, last_error = excluded.last_error, updated_at = excluded.updated_at");
             PreparedStatement keep = c.prepareStatement("INSERT INTO audience_members (integration_id, audience_key, email, desired, "
                     + "in_list, fields_hash, pending, pending_fields, revision, attempts, next_at, last_error, updated_at) "
                     + "VALUES (?, ?, ?, ?, 0, NULL, 0, NULL, 0, 0, 0, ?, ?) ON CONFLICT (integration_id, audience_key, email) DO UPDATE SET "
                     + "desired = excluded.desired, pending = 0, pending_fields = NULL, attempts = 0, "
                     + "last_error = excluded.last_error, updated_at = excluded.updated_at");
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM audience_members WHERE integration_id = ? AND audience_key = ? AND email = ?")) {
            int sets = 0;
            int keeps = 0;
            int deletes = 0;
            for (MemberWrite w : writes) {
                if (w.delete()) {
                    delete.setString(1, integrationId);
                    delete.setString(2, key);
                    delete.setString(3, w.email());
                    delete.addBatch();
                    deletes++;
                } else if (w.inList() == null) {
                    keep.setString(1, integrationId);
                    keep.setString(2, key);
                    keep.setString(3, w.email());
                    keep.setInt(4, w.desired() ? 1 : 0);
                    keep.setString(5, w.error());
                    keep.setLong(6, now);
                    keep.addBatch();
                    keeps++;
                } else {
                    set.setString(1, integrationId);
                    set.setString(2, key);
                    set.setString(3, w.email());
                    set.setInt(4, w.desired() ? 1 : 0);
                    set.setInt(5, w.inList() ? 1 : 0);
                    if (w.fieldsHash() == null) {
                        set.setNull(6, Types.BIGINT);
                    } else {
                        set.setLong(6, w.fieldsHash());
                    }
                    set.setString(7, w.error());
                    set.setLong(8, now);
                    set.addBatch();
                    sets++;
                }
            }
            if (sets > 0) {
                set.executeBatch();
            }
            if (keeps > 0) {
                keep.executeBatch();
            }
            if (deletes > 0) {
                delete.executeBatch();
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    /**
     * Runs a query with two text parameters and hands each row over as it arrives: PostgreSQL only
     * streams inside a transaction with a fetch size; SQLite's driver always steps row by row.
     */
    void stream(String sql, String p1, String p2, RowHandler handler) {
        try (Connection c = db.connection()) {
            boolean pg = db.dialect() == Dialect.POSTGRESQL;
            if (pg) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH);
                ps.setString(1, p1);
                ps.setString(2, p2);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        handler.row(rs);
                    }
                }
            } finally {
                if (pg) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static Audience row(ResultSet rs) throws SQLException {
        long lastSync = rs.getLong("last_sync_at");
        Long lastSyncAt = rs.wasNull() ? null : lastSync;
        String summary = rs.getString("last_summary");
        JsonNode s = null;
        if (summary != null) {
            try {
                s = M.readTree(summary);
            } catch (IOException e) {
                s = null;
            }
        }
        return new Audience(rs.getString("integration_id"), rs.getString("audience_key"), rs.getString("list_name"),
                rs.getString("list_id"), rs.getString("origin"), rs.getLong("created_at"), rs.getLong("updated_at"), lastSyncAt,
                rs.getString("last_outcome"), s);
    }
}
