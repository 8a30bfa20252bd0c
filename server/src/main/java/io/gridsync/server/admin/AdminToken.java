package io.gridsync.server.admin;

import io.gridsync.server.HubConfig;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.Database;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;

/**
 * The bearer token of the admin API: {@code GRIDSYNC_ADMIN_TOKEN} when set, else one generated at
 * first start and kept sealed (so {@code ./gridsync up} can print it again) in the settings table.
 */
public final class AdminToken {

    static final String SETTING = "admin_token_sealed";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminToken() {}

    /** The token, and whether this start generated it (./gridsync up prints it only then). */
    public record Resolved(String token, boolean generated) {
        @Override
        public String toString() {
            return "AdminToken.Resolved[generated=" + generated + "]";
        }
    }

    public static String resolve(HubConfig config, Database db, SecretBox box) {
        return resolved(config, db, box).token();
    }

    public static Resolved resolved(HubConfig config, Database db, SecretBox box) {
        String configured = config.adminToken();
        if (configured != null && !configured.isBlank()) {
            return new Resolved(configured.trim(), false);
        }
        try (Connection c = db.connection()) {
            String sealed = read(c);
            boolean generated = false;
            if (sealed == null) {
                String token = generate();
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                    ps.setString(1, SETTING);
                    ps.setString(2, box.seal(token));
                    generated = ps.executeUpdate() == 1;
                }
                sealed = read(c); // a hub starting at the same moment may have won; everyone uses the stored one
            }
            return new Resolved(box.unseal(sealed), generated);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read or store the admin token in the settings table: " + e.getMessage(), e);
        }
    }

    /** Whether the token comes from GRIDSYNC_ADMIN_TOKEN (then it is rotated there, not here). */
    public static boolean fromEnvironment(HubConfig config) {
        return config.adminToken() != null && !config.adminToken().isBlank();
    }

    /** Generates a new token, stores it sealed in place of the current one, and returns it. */
    public static String rotate(Database db, SecretBox box) {
        String token = generate();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE settings SET value = ? WHERE name = ?")) {
            ps.setString(1, box.seal(token));
            ps.setString(2, SETTING);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("the settings table holds no admin token to rotate");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the new admin token: " + e.getMessage(), e);
        }
        return token;
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "gs_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
            ps.setString(1, SETTING);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
