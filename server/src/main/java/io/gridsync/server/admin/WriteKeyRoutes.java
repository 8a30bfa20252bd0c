package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.store.Database;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * {@code /v1/admin/write-keys}: the keys tracking libraries send (Segment's "write key"), created,
 * listed and revoked directly in the write_keys table. Revoking keeps the row, so it is clear
 * later why a client's requests are refused.
 */
final class WriteKeyRoutes {

    static final String PREFIX = "gs_wk_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database db;

    WriteKeyRoutes(Database db) {
        this.db = db;
    }

    void register(Javalin app) {
        app.get("/v1/admin/write-keys", AdminJson.guard(this::list));
        app.post("/v1/admin/write-keys", AdminJson.guard(this::create));
        app.delete("/v1/admin/write-keys/{key}", AdminJson.guard(this::revoke));
    }

    private void list(Context ctx) throws Exception {
        ObjectNode body = AdminJson.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("write_keys");
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM write_keys ORDER BY created_at, write_key");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                items.add(row(rs));
            }
        }
        AdminJson.write(ctx, 200, body);
    }

    private void create(Context ctx) throws Exception {
        ObjectNode req = AdminJson.readObject(ctx, true);
        AdminJson.onlyKnown(req, "", Set.of("name"));
        String name = AdminJson.text(req, "name", "");
        name = name == null || name.isBlank() ? "default" : name.trim();
        if (name.length() > 100) {
            throw AdminError.badRequest("name is " + name.length() + " characters; at most 100");
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = System.currentTimeMillis();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO write_keys (write_key, name, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, name);
            ps.setLong(3, now);
            ps.executeUpdate();
        }
        ObjectNode body = AdminJson.MAPPER.createObjectNode().put("write_key", key).put("name", name)
                .put("created_at", Instant.ofEpochMilli(now).toString()).putNull("revoked_at");
        AdminJson.write(ctx, 201, body);
    }

    /** Revokes (idempotent: revoking twice keeps the first time). */
    private void revoke(Context ctx) throws Exception {
        String key = ctx.pathParam("key");
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE write_keys SET revoked_at = ? WHERE write_key = ? AND revoked_at IS NULL")) {
                ps.setLong(1, System.currentTimeMillis());
                ps.setString(2, key);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM write_keys WHERE write_key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw AdminError.notFound("no write key '" + key + "'; GET /v1/admin/write-keys lists them");
                    }
                    AdminJson.write(ctx, 200, row(rs));
                }
            }
        }
    }

    private static ObjectNode row(ResultSet rs) throws SQLException {
        ObjectNode o = AdminJson.MAPPER.createObjectNode();
        o.put("write_key", rs.getString("write_key"));
        o.put("name", rs.getString("name"));
        o.put("created_at", Instant.ofEpochMilli(rs.getLong("created_at")).toString());
        long revoked = rs.getLong("revoked_at");
        if (rs.wasNull()) {
            o.putNull("revoked_at");
        } else {
            o.put("revoked_at", Instant.ofEpochMilli(revoked).toString());
        }
        return o;
    }
}
