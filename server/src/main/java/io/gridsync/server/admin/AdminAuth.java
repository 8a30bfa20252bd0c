package io.gridsync.server.admin;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <admin token>}. Both sides are hashed before a constant-time
 * comparison, so neither the content nor the length of the token leaks through timing.
 */
public final class AdminAuth {

    private final byte[] expected;

    public AdminAuth(String adminToken) {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("the admin API needs an admin token (AdminToken.resolve)");
        }
        this.expected = sha256(adminToken.trim());
    }

    /** Answers 401 and stops the request unless it carries the admin token. */
    public void check(Context ctx) {
        String header = ctx.header("Authorization");
        String problem = null;
        if (header == null || header.isBlank()) {
            problem = "the admin API needs the header Authorization: Bearer <admin token> (./gridsync up prints the token; "
                    + "GRIDSYNC_ADMIN_TOKEN sets it)";
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            problem = "the Authorization header must be Bearer <admin token>";
        } else if (!MessageDigest.isEqual(sha256(header.substring(7).trim()), expected)) {
            problem = "the admin token is not valid";
        }
        if (problem != null) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"gridsync admin\"");
            AdminJson.error(ctx, 401, problem);
            ctx.skipRemainingHandlers();
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
