package io.gridsync.server.erasure;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.store.Database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code erasures} and {@code erased_identifiers} tables (V7__erasure.sql). */
public final class ErasureStore {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String COLUMNS = "id, status, identifier_hashes, identifiers_sealed, sendgrid_erase_job, counts, errors, "
            + "attempts, next_at, created_at, updated_at, finished_at";

    private final Database db;

    public ErasureStore(Database db) {
        this.db = db;
    }

    /** Records a new erasure and suppresses its identifiers, in one transaction: from the commit on, their messages are dropped. */
    void create(String id, List<String> hashes, String sealed, boolean eraseJob, long now) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO erasures (" + COLUMNS + ", lease_owner, lease_until) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, NULL, NULL)")) {
                ps.setString(1, id);
                ps.setString(2, ErasureRecord.PENDING);
                ps.setString(3, write(hashes));
                ps.setString(4, sealed);
                ps.setInt(5, eraseJob ? 1 : 0);
                ps.setString(6, "{}");
                ps.setString(7, "[]");
                ps.setLong(8, now);
                ps.setLong(9, now);
                ps.setLong(10, now);
                ps.executeUpdate();
            }
            suppress(c, id, hashes, now);
            return null;
        });
    }

    /** Adds hashes to the suppression list (identifiers found while resolving the person). */
    void suppress(String erasureId, List<String> hashes, long now) {
        db.inTransaction(c -> {
            suppress(c, erasureId, hashes, now);
            return null;
        });
    }

    private static void suppress(Connection c, String erasureId, List<String> hashes, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO erased_identifiers (hash, erasure_id, created_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (hash) DO NOTHING")) {
            for (String h : hashes) {
                ps.setString(1, h);
                ps.setString(2, erasureId);
                ps.setLong(3, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    Set<String> suppressedHashes() {
        return db.query(c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM erased_identifiers"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    public Optional<ErasureRecord> get(String id) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM erasures WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The most recent erasures, newest first. */
    List<ErasureRecord> recent(int limit) {
        return db.query(c -> {
            List<ErasureRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM erasures ORDER BY created_at DESC, id LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Takes the next due erasure (pending, or running and retrying) for {@code owner} until
     * {@code leaseUntil}; a node that died mid-way loses its lease and another takes the work over.
     */
    Optional<ErasureRecord> claimDue(String owner, long now, long leaseUntil) {
        return db.inTransaction(c -> {
            String id;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM erasures WHERE status IN ('pending', 'running') AND next_at <= ? "
                    + "AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_at, id LIMIT 1"
                    + (db.dialect() == io.gridsync.server.store.Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : ""))) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<ErasureRecord>empty();
                    }
                    id = rs.getString(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE erasures SET status = ?, lease_owner = ?, lease_until = ?, updated_at = ? "
                    + "WHERE id = ?")) {
                ps.setString(1, ErasureRecord.RUNNING);
                ps.setString(2, owner);
                ps.setLong(3, leaseUntil);
                ps.setLong(4, now);
                ps.setString(5, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM erasures WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.of(read(rs));
                }
            }
        });
    }

    /**
     * SQLite only: a second hub cannot open the same data directory, so a lease still held was this
     * process's predecessor's (it died mid-way): given up at start rather than waited out.
     */
    void releaseLeasesOfThePreviousRun() {
        if (db.dialect() != io.gridsync.server.store.Dialect.SQLITE) {
            return;
        }
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE erasures SET lease_owner = NULL, lease_until = NULL "
                    + "WHERE lease_owner IS NOT NULL")) {
                return ps.executeUpdate();
            }
        });
    }

    /** Saves the progress of a run and releases the lease; {@code sealed} null erases the sealed identifiers. */
    void save(String id, String status, String sealed, Map<String, Long> counts, List<String> errors, int attempts, long nextAt,
              long now, Long finishedAt) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE erasures SET status = ?, identifiers_sealed = ?, counts = ?, errors = ?, "
                    + "attempts = ?, next_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?, finished_at = ? WHERE id = ?")) {
                ps.setString(1, status);
                ps.setString(2, sealed);
                ps.setString(3, write(counts));
                ps.setString(4, write(errors));
                ps.setInt(5, attempts);
                ps.setLong(6, nextAt);
                ps.setLong(7, now);
                if (finishedAt == null) {
                    ps.setNull(8, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(8, finishedAt);
                }
                ps.setString(9, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static ErasureRecord read(ResultSet rs) throws SQLException {
        long finished = rs.getLong(12);
        Long finishedAt = rs.wasNull() ? null : finished;
        return new ErasureRecord(rs.getString(1), rs.getString(2), read(rs.getString(3), new TypeReference<List<String>>() {}),
                rs.getString(4), rs.getInt(5) == 1, read(rs.getString(6), new TypeReference<LinkedHashMap<String, Long>>() {}),
                read(rs.getString(7), new TypeReference<List<String>>() {}), rs.getInt(8), rs.getLong(9), rs.getLong(10),
                rs.getLong(11), finishedAt);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return M.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt erasures row: " + e.getMessage(), e);
        }
    }

    static String write(Object o) {
        try {
            return M.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
