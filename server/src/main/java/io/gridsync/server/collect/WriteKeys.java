package io.gridsync.server.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.cors.AllowedOrigins;
import io.gridsync.server.store.ChangeListeners;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The write keys the tracking API accepts (table {@code write_keys}), each with the origins browsers
 * may use it from. The valid keys are held in memory for the request path and re-read after every
 * change made through this class.
 */
public final class WriteKeys {

    private static final Logger log = LoggerFactory.getLogger(WriteKeys.class);
    public static final String PREFIX = "gs_wk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private volatile Map<String, AllowedOrigins> active = Map.of();
    private final ChangeListeners listeners = new ChangeListeners("write keys");

    public WriteKeys(Database db) {
        this.db = db;
        reload();
    }

    /** Runs {@code listener} after each committed change to the keys (not after {@link #reload}). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Creates a new random key ({@code gs_wk_} + 32 url-safe characters) named {@code name}, and returns it. */
    public String create(String name) {
        checkName(name);
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        insert(key, name);
        reload();
        listeners.changed();
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
        boolean added = insert(key, name);
        reload();
        if (added) {
            listeners.changed();
        }
        if (!isValid(key)) {
            log.warn("the configured write key {} was revoked; it stays revoked (remove it from GRIDSYNC_WRITE_KEY)",
                    WriteKey.mask(key));
        }
    }

    /** True when {@code key} exists and is not revoked. */
    public boolean isValid(String key) {
        return key != null && active.containsKey(key);
    }

    /** The origins a valid key may be used from; null for an unknown or revoked key. */
    public AllowedOrigins allowedOrigins(String key) {
        return key == null ? null : active.get(key);
    }

    /** Sets the origins {@code key} may be used from; returns false when the key is unknown. */
    public boolean setAllowedOrigins(String key, AllowedOrigins origins) {
        int changed;
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE write_keys SET allowed_origins = ? WHERE write_key = ?")) {
            ps.setString(1, origins.any() ? null : write(origins));
            ps.setString(2, key);
            changed = ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing a write key's allowed origins failed: " + e.getMessage(), e);
        }
        reload();
        if (changed > 0) {
            listeners.changed();
        }
        return changed > 0;
    }

    /** Every key, revoked ones included, oldest first. */
    public List<WriteKey> list() {
        List<WriteKey> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT write_key, name, created_at, revoked_at, allowed_origins FROM write_keys ORDER BY created_at, write_key");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long revokedAt = rs.getLong(4);
                Long revoked = rs.wasNull() ? null : revokedAt; // wasNull speaks of the last column read
                out.add(new WriteKey(rs.getString(1), rs.getString(2), rs.getLong(3), revoked, read(rs.getString(5))));
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
        if (changed > 0) {
            listeners.changed();
        }
        return changed > 0;
    }

    /** Re-reads the valid keys from the database (also for changes made by another process). */
    public void reload() {
        Map<String, AllowedOrigins> keys = new HashMap<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT write_key, allowed_origins FROM write_keys WHERE revoked_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.put(rs.getString(1), read(rs.getString(2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading write keys failed: " + e.getMessage(), e);
        }
        active = Map.copyOf(keys);
    }

    /** True when the key was new. */
    private boolean insert(String key, String name) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO write_keys (write_key, name, created_at) VALUES (?, ?, ?) ON CONFLICT (write_key) DO NOTHING")) {
            ps.setString(1, key);
            ps.setString(2, name);
            ps.setLong(3, System.currentTimeMillis());
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("storing a write key failed: " + e.getMessage(), e);
        }
    }

    /** Stored as a JSON array; NULL (keys from before V10, and "*") is any origin. */
    private static AllowedOrigins read(String stored) {
        if (stored == null) {
            return AllowedOrigins.ANY;
        }
        try {
            return new AllowedOrigins(MAPPER.readValue(stored, new TypeReference<List<String>>() {}));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a write key's allowed_origins is not a JSON array of strings: " + stored, e);
        }
    }

    private static String write(AllowedOrigins origins) {
        try {
            return MAPPER.writeValueAsString(origins.entries());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("a write key needs a name of 1 to 100 characters");
        }
    }
}
