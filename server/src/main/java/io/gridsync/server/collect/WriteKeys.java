package io.gridsync.server.collect;

import io.gridsync.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The write keys the tracking API accepts (table {@code write_keys}). The valid keys are held in
 * memory for the request path and re-read after every change made through this class.
 */
public final class WriteKeys {

    private static final Logger log = LoggerFactory.getLogger(WriteKeys.class);
    public static final String PREFIX = "gs_wk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private volatile Set<String> active = Set.of();

    public WriteKeys(Database db) {
        this.db = db;
        reload();
    }

    /** Creates a new random key ({@code gs_wk_} + 32 url-safe characters) named {@code name}, and returns it. */
    public String create(String name) {
        checkName(name);
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        insert(key, name);
        reload();
        return key;
    }

    /**
     * Makes sure {@code key} (e.g. from GRIDSYNC_WRITE_KEY) exists. A key revoked earlier stays
     * revoked: revoking is an explicit act, and the operator should drop the variable.
     */
    public void ensure(String key, String name) {
        if (key == null || key.isBlank() || key.length() > 200 || !key.equals(key.strip())) {
            throw new IllegalArgumentException("a write key must be 1 to 200 characters without surrounding spaces");
        }
        checkName(name);
        insert(key, name);
        reload();
        if (!isValid(key)) {
            log.warn("the configured write key {} was revoked; it stays revoked (remove it from GRIDSYNC_WRITE_KEY)",
                    WriteKey.mask(key));
        }
    }

    /** True when {@code key} exists and is not revoked. */
    public boolean isValid(String key) {
        return key != null && active.contains(key);
    }

    /** Every key, revoked ones included, oldest first. */
    public List<WriteKey> list() {
        List<WriteKey> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT write_key, name, created_at, revoked_at FROM write_keys ORDER BY created_at, write_key");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long revokedAt = rs.getLong(4);
                Long revoked = rs.wasNull() ? null : revokedAt; // wasNull speaks of the last column read
                out.add(new WriteKey(rs.getString(1), rs.getString(2), rs.getLong(3), revoked));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading write keys failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** Revokes {@code key}; returns false when it was unknown or already revoked. */
    public boolean revoke(String key) {
        int changed;
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE write_keys SET revoked_at = ? WHERE write_key = ? AND revoked_at IS NULL")) {
            ps.setLong(1, System.currentTimeMillis());
            ps.setString(2, key);
            changed = ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("revoking a write key failed: " + e.getMessage(), e);
        }
        reload();
        return changed > 0;
    }

    /** Re-reads the valid keys from the database (also for changes made by another process). */
    public void reload() {
        List<String> keys = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT write_key FROM write_keys WHERE revoked_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading write keys failed: " + e.getMessage(), e);
        }
        active = Set.copyOf(keys);
    }

    private void insert(String key, String name) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO write_keys (write_key, name, created_at) VALUES (?, ?, ?) ON CONFLICT (write_key) DO NOTHING")) {
            ps.setString(1, key);
            ps.setString(2, name);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing a write key failed: " + e.getMessage(), e);
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("a write key needs a name of 1 to 100 characters");
        }
    }
}
