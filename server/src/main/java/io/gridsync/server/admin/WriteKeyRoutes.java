package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.collect.WriteKey;
import io.gridsync.server.collect.WriteKeys;
import io.gridsync.server.cors.AllowedOrigins;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/admin/write-keys}: the keys tracking libraries send (Segment's "write key"), created,
 * listed and revoked through the same {@link WriteKeys} the collection API checks, so a change
 * takes effect at once. Revoking keeps the row, so it is clear later why a client is refused.
 * Each key lists the web origins browsers may send with it from ({@code allowed_origins}, default
 * {@code ["*"]}), set at creation or by PATCH.
 */
final class WriteKeyRoutes {

    private final WriteKeys keys;

    WriteKeyRoutes(WriteKeys keys) {
        this.keys = keys;
    }

    void register(Javalin app) {
        app.get("/v1/admin/write-keys", AdminJson.guard(this::list));
        app.post("/v1/admin/write-keys", AdminJson.guard(this::create));
        app.patch("/v1/admin/write-keys/{key}", AdminJson.guard(this::update));
        app.delete("/v1/admin/write-keys/{key}", AdminJson.guard(this::revoke));
    }

    private void list(Context ctx) throws Exception {
        ObjectNode body = AdminJson.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("write_keys");
        keys.list().forEach(k -> items.add(json(k, false)));
        AdminJson.write(ctx, 200, body);
    }

    private void create(Context ctx) throws Exception {
        ObjectNode req = AdminJson.readObject(ctx, true);
        AdminJson.onlyKnown(req, "", Set.of("name", ALLOWED_ORIGINS));
        String name = AdminJson.text(req, "name", "");
        name = name == null || name.isBlank() ? "default" : name.trim();
        if (name.length() > 100) {
            throw AdminError.badRequest("name is " + name.length() + " characters; at most 100");
        }
        AllowedOrigins origins = req.has(ALLOWED_ORIGINS) ? origins(req) : AllowedOrigins.ANY;
        String key = keys.create(name);
        if (!origins.any()) {
            keys.setAllowedOrigins(key, origins);
        }
        WriteKey created = keys.list().stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow();
        AdminJson.write(ctx, 201, json(created, true)); // the only time the whole key is shown
    }

    /** Changes what may change of a key: its allowed origins. */
    private void update(Context ctx) throws Exception {
        WriteKey found = find(ctx.pathParam("key"));
        ObjectNode req = AdminJson.readObject(ctx, false);
        AdminJson.onlyKnown(req, "", Set.of(ALLOWED_ORIGINS));
        if (!req.has(ALLOWED_ORIGINS)) {
            throw AdminError.badRequest("nothing to change: send {\"allowed_origins\": [\"https://shop.example\", ...]} (or [\"*\"] for any)");
        }
        keys.setAllowedOrigins(found.key(), origins(req));
        AdminJson.write(ctx, 200, json(find(found.key()), false));
    }

    /** Revokes by id (as listed) or by the whole key (idempotent: revoking twice keeps the first time). */
    private void revoke(Context ctx) throws Exception {
        WriteKey found = find(ctx.pathParam("key"));
        keys.revoke(found.key());
        AdminJson.write(ctx, 200, json(find(found.key()), false));
    }

    /** By id (as listed) or by the whole key. */
    private WriteKey find(String given) {
        return keys.list().stream().filter(w -> w.key().equals(given) || id(w.key()).equals(given)).findFirst()
                .orElseThrow(() -> AdminError.notFound("no write key with id '" + given + "'; GET /v1/admin/write-keys lists them"));
    }

    private static final String ALLOWED_ORIGINS = "allowed_origins";

    /** {@code "allowed_origins": ["https://shop.example", ...]}, each checked. */
    private static AllowedOrigins origins(ObjectNode req) {
        JsonNode v = req.get(ALLOWED_ORIGINS);
        if (v == null || !v.isArray() || v.size() > 100) {
            throw AdminError.badRequest("allowed_origins must be an array of at most 100 origins, e.g. [\"https://shop.example\"]; [\"*\"] allows any");
        }
        List<String> given = new ArrayList<>();
        for (JsonNode o : v) {
            if (!o.isTextual()) {
                throw AdminError.badRequest("allowed_origins holds " + o + "; each origin is a string such as \"https://shop.example\"");
            }
            given.add(o.asText());
        }
        try {
            return AllowedOrigins.parse(given);
        } catch (IllegalArgumentException e) {
            throw AdminError.badRequest(e.getMessage());
        }
    }

    /** A stable handle for a key that is not the key: the first 12 hex digits of its SHA-256. */
    static String id(String key) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "wk_" + java.util.HexFormat.of().formatHex(d, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** e.g. gs_wk_****x9Qz: enough to tell keys apart, not enough to send events with. */
    static String masked(String key) {
        String prefix = key.startsWith(WriteKeys.PREFIX) ? WriteKeys.PREFIX : "";
        return prefix + "****" + (key.length() > 12 ? key.substring(key.length() - 4) : "");
    }

    private static ObjectNode json(WriteKey k, boolean whole) {
        ObjectNode o = AdminJson.MAPPER.createObjectNode();
        o.put("id", id(k.key()));
        o.put("write_key", whole ? k.key() : masked(k.key()));
        o.put("name", k.name());
        o.put("created_at", Instant.ofEpochMilli(k.createdAt()).toString());
        if (k.revokedAt() == null) {
            o.putNull("revoked_at");
        } else {
            o.put("revoked_at", Instant.ofEpochMilli(k.revokedAt()).toString());
        }
        ArrayNode origins = o.putArray(ALLOWED_ORIGINS);
        k.allowedOrigins().entries().forEach(origins::add);
        return o;
    }
}
