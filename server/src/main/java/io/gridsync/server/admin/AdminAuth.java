package io.gridsync.server.admin;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks {@code Authorization: Bearer <admin token>}. Both sides are hashed before a constant-time
 * comparison, so neither the content nor the length of the token leaks through timing. After a
 * rotation the previous token stays valid for {@link #GRACE} (or until retired), so clients can
 * switch without downtime.
 */
public final class AdminAuth {

    /** How long the previous admin token keeps working after a rotation. */
    public static final Duration GRACE = Duration.ofMinutes(15);

    private final Clock clock;
    private volatile byte[] expected;
    private volatile byte[] previous;
    private volatile long previousUntil;
    /** The stored token, read again when a token is refused: another node of a cluster may have rotated it. */
    private volatile java.util.function.Supplier<String> stored;
    private volatile long lastReload;

    public AdminAuth(String adminToken) {
        this(adminToken, Clock.systemUTC());
    }

    public AdminAuth(String adminToken, Clock clock) {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("the admin API needs an admin token (AdminToken.resolve)");
        }
        this.clock = clock;
        this.expected = sha256(adminToken.trim());
    }

    /** Makes {@code token} the admin token; the one before it works for {@link #GRACE} more. */
    synchronized void rotateTo(String token) {
        previous = expected;
        previousUntil = clock.millis() + GRACE.toMillis();
        expected = sha256(token.trim());
    }

    /** Reads the stored token again (at most once a second) when a request's token is refused. */
    public void reloadFrom(java.util.function.Supplier<String> stored) {
        this.stored = stored;
    }

    /** Ends the previous token's grace period now. */
    synchronized void retirePrevious() {
        previous = null;
    }

    /** Why a request was refused: 401 (who are you) or 403 (a session write without its CSRF token). */
    record Refusal(int status, String message) {}

    private volatile AdminSessions sessions;

    /** Accepts the console's session cookie besides the bearer token (signed-out sessions are kept in {@code db}). */
    public AdminSessions enableSessions(io.gridsync.server.store.Database db) {
        sessions = new AdminSessions(this, db, clock);
        return sessions;
    }

    /** The console's sessions, or null when only the bearer token is accepted. */
    public AdminSessions sessions() {
        return sessions;
    }

    /**
     * Answers 401 and stops the request unless it carries the admin token, or (when sessions are
     * enabled) a console session cookie, with the CSRF header on writes.
     */
    public void check(Context ctx) {
        String header = ctx.header("Authorization");
        String problem = null;
        AdminSessions s = sessions;
        if (s != null && ctx.path().equals(SessionRoutes.PATH) && ctx.method().name().equals("POST")) {
            return; // signing in is how a browser gets a session
        }
        if ((header == null || header.isBlank()) && s != null && ctx.cookie(AdminSessions.COOKIE) != null) {
            Refusal r = s.check(ctx);
            if (r != null) {
                AdminJson.error(ctx, r.status(), r.message());
                ctx.skipRemainingHandlers();
            }
            return;
        }
        if (header == null || header.isBlank()) {
            problem = "the admin API needs the header Authorization: Bearer <admin token> (./gridsync up prints the token; "
                    + "GRIDSYNC_ADMIN_TOKEN sets it)";
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            problem = "the Authorization header must be Bearer <admin token>";
        } else if (!accepts(header.substring(7).trim()) && !(reloaded() && accepts(header.substring(7).trim()))) {
            problem = "the admin token is not valid";
        }
        if (problem != null) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"gridsync admin\"");
            AdminJson.error(ctx, 401, problem);
            ctx.skipRemainingHandlers();
        }
    }

    /** Whether {@code token} is the admin token (reading a rotation on another node when it is not). */
    boolean acceptsToken(String token) {
        String t = token == null ? "" : token.trim();
        return !t.isEmpty() && (accepts(t) || (reloaded() && accepts(t)));
    }

    /** The key console sessions are signed with: derived from the admin token, so a rotation ends them all. */
    byte[] sessionKey() {
        return java.util.Base64.getUrlDecoder().decode(AdminSessions.mac(expected, "gridsync console session v1"));
    }

    /** Whether the stored token was read again and differs from the current one. */
    synchronized boolean reloaded() {
        java.util.function.Supplier<String> s = stored;
        long now = clock.millis();
        if (s == null || now - lastReload < 1000) {
            return false;
        }
        lastReload = now;
        String token;
        try {
            token = s.get();
        } catch (RuntimeException e) {
            return false; // the database is unavailable: the current token stands
        }
        if (token == null || MessageDigest.isEqual(sha256(token.trim()), expected)) {
            return false;
        }
        rotateTo(token);
        return true;
    }

    private boolean accepts(String token) {
        byte[] given = sha256(token);
        boolean current = MessageDigest.isEqual(given, expected);
        byte[] before = previous;
        boolean old = before != null && MessageDigest.isEqual(given, before) && clock.millis() < previousUntil;
        return current | old;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
