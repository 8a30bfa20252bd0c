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

    public static String resolve(HubConfig config, Database db, SecretBox box) {
        String configured = config.adminToken();
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        try (Connection c = db.connection()) {
            String sealed = read(c);
            if (sealed == null) {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                String token = "gs_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                    ps.setString(1, SETTING);
                    ps.setString(2, box.seal(token));
                    ps.executeUpdate();
                }
                sealed = read(c); // a hub starting at the same moment may have won; everyone uses the stored one
            }
            return box.unseal(sealed);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read or store the admin token in the settings table: " + e.getMessage(), e);
        }
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
