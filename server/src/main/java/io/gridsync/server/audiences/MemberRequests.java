package io.gridsync.server.audiences;

import io.gridsync.core.action.Outcome;
import io.gridsync.server.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Changes asked for through the audience API, kept durably on the member rows (pending, with the
 * fields to send) until the worker has applied them. A newer request for the same person bumps the
 * row's revision, so the worker's answer to an older one never overwrites it.
 */
public final class MemberRequests {

    private final Database db;

    public MemberRequests(Database db) {
        this.db = db;
    }

    /** Records the changes (committed before this returns); the audience is created with {@code listName} if new. */
    public void accept(String integrationId, String key, String listName, List<MemberRequest> changes, long now) {
        db.inTransaction(c -> {
            AudienceStore.ensure(c, integrationId, key, listName, "api", now);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audience_members (integration_id, audience_key, email, "
                    + "desired, in_list, fields_hash, pending, pending_fields, revision, attempts, next_at, last_error, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, NULL, 1, ?, 1, 0, ?, NULL, ?) ON CONFLICT (integration_id, audience_key, email) DO UPDATE SET "
                    + "desired = excluded.desired, pending = 1, pending_fields = excluded.pending_fields, "
                    + "revision = audience_members.revision + 1, attempts = 0, next_at = excluded.next_at, last_error = NULL, "
                    + "updated_at = excluded.updated_at")) {
                for (MemberRequest m : changes) {
                    ps.setString(1, integrationId);
                    ps.setString(2, key);
                    ps.setString(3, m.email());
                    ps.setInt(4, m.add() ? 1 : 0);
                    // a removal of someone never seen may still be in the list (added outside gridsync): look
                    ps.setInt(5, m.add() ? 0 : 1);
                    ps.setString(6, m.add() && m.fields() != null ? m.fields().toString() : null);
                    ps.setLong(7, now);
                    ps.setLong(8, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE audiences SET origin = 'api', updated_at = ? "
                    + "WHERE integration_id = ? AND audience_key = ?")) {
                ps.setLong(1, now);
                ps.setString(2, integrationId);
                ps.setString(3, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Audiences with changes due now, as {integration id, audience key}. */
    List<String[]> due(long now) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT integration_id, audience_key FROM audience_members "
                    + "WHERE pending = 1 AND next_at <= ?")) {
                ps.setLong(1, now);
                List<String[]> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
                return out;
            }
        });
    }

    /** The oldest due changes of one audience, at most {@code limit}. */
    List<PendingMember> load(String integrationId, String key, long now, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT email, desired, pending_fields, revision, attempts FROM audience_members "
                    + "WHERE integration_id = ? AND audience_key = ? AND pending = 1 AND next_at <= ? ORDER BY updated_at, email "
                    + "LIMIT " + limit)) {
                ps.setString(1, integrationId);
                ps.setString(2, key);
                ps.setLong(3, now);
                List<PendingMember> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PendingMember(rs.getString(1), rs.getInt(2) == 1, rs.getString(3), rs.getLong(4), rs.getInt(5)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Records what became of applied changes, each only if no newer request came meanwhile: done
     * moves the member (one removed is forgotten), dead keeps the reason, retry waits {@code retryAt}.
     *
     * @param notes for done adds, a remark to keep (e.g. a custom field that does not exist)
     */
    void complete(String integrationId, String key, List<PendingMember> members, Map<String, Outcome> outcomes,
                  Map<String, String> notes, long now, java.util.function.LongUnaryOperator retryAt) {
        db.inTransaction(c -> {
            try (PreparedStatement done = c.prepareStatement("UPDATE audience_members SET in_list = ?, pending = 0, pending_fields = NULL, "
                    + "fields_hash = NULL, attempts = 0, last_error = ?, updated_at = ? "
                    + "WHERE integration_id = ? AND audience_key = ? AND email = ? AND revision = ?");
                 PreparedStatement gone = c.prepareStatement("DELETE FROM audience_members "
                         + "WHERE integration_id = ? AND audience_key = ? AND email = ? AND revision = ?");
                 PreparedStatement dead = c.prepareStatement("UPDATE audience_members SET pending = 0, pending_fields = NULL, "
                         + "last_error = ?, updated_at = ? WHERE integration_id = ? AND audience_key = ? AND email = ? AND revision = ?");
                 PreparedStatement retry = c.prepareStatement("UPDATE audience_members SET attempts = attempts + 1, next_at = ?, "
                         + "last_error = ?, updated_at = ? WHERE integration_id = ? AND audience_key = ? AND email = ? AND revision = ?")) {
                for (PendingMember m : members) {
                    Outcome o = outcomes.get(m.email());
                    if (o instanceof Outcome.Done && !m.add()) {
                        bind(gone, 1, integrationId, key, m);
                        gone.addBatch();
                    } else if (o instanceof Outcome.Done) {
                        done.setInt(1, 1);
                        done.setString(2, notes.get(m.email()));
                        done.setLong(3, now);
                        bind(done, 4, integrationId, key, m);
                        done.addBatch();
                    } else if (o instanceof Outcome.Retry) {
                        retry.setLong(1, retryAt.applyAsLong(m.attempts()));
                        retry.setString(2, o.detail());
                        retry.setLong(3, now);
                        bind(retry, 4, integrationId, key, m);
                        retry.addBatch();
                    } else {
                        dead.setString(1, o == null ? "no outcome" : o.detail());
                        dead.setLong(2, now);
                        bind(dead, 3, integrationId, key, m);
                        dead.addBatch();
                    }
                }
                done.executeBatch();
                gone.executeBatch();
                dead.executeBatch();
                retry.executeBatch();
            }
            return null;
        });
    }

    private static void bind(PreparedStatement ps, int from, String integrationId, String key, PendingMember m) throws SQLException {
        ps.setString(from, integrationId);
        ps.setString(from + 1, key);
        ps.setString(from + 2, m.email());
        ps.setLong(from + 3, m.revision());
    }
}
