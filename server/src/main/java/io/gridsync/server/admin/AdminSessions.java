package io.gridsync.server.admin;

import io.gridsync.server.store.Database;
import io.javalin.http.Context;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * The console's sign-in: the admin token exchanged for a session cookie (HttpOnly, SameSite=Strict,
 * expiring). The cookie is stateless and HMAC-signed with a key derived from the admin token, so
 * every node of a cluster accepts it and rotating the admin token ends every session. A session
 * signed out early is remembered in {@code console_sessions_ended} until it would have expired.
 * Writes need the header {@value #CSRF_HEADER}, a second HMAC of the session id that only a page
 * of the hub can read (from {@code GET /v1/admin/session}).
 */
public final class AdminSessions {

    public static final String COOKIE = "gridsync_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final Duration LIFETIME = Duration.ofHours(8);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A valid session: its id and when it expires (epoch ms). */
    public record Session(String id, long expiresAt) {}

    private final AdminAuth auth;
    private final Database db;
    private final Clock clock;

    AdminSessions(AdminAuth auth, Database db, Clock clock) {
        this.auth = auth;
        this.db = db;
        this.clock = clock;
    }

    /** A new session's cookie value: {@code v1.<expires s>.<id>.<mac>}. */
    String issue() {
        byte[] id = new byte[18];
        RANDOM.nextBytes(id);
        String payload = "v1." + (clock.millis() + LIFETIME.toMillis()) / 1000 + "." + B64.encodeToString(id);
        return payload + "." + mac(auth.sessionKey(), payload);
    }

    /** The request's session, or null when it has none, or it is forged, expired or signed out. */
    public Session of(Context ctx) {
        return parse(ctx.cookie(COOKIE));
    }

    /** The session a cookie value holds, or null (see {@link #of}). */
    Session parse(String cookie) {
        if (cookie == null || cookie.isBlank()) {
            return null;
        }
        String[] parts = cookie.split("\\.");
        if (parts.length != 4 || !parts[0].equals("v1")) {
            return null;
        }
        String payload = parts[0] + "." + parts[1] + "." + parts[2];
        if (!signedBy(auth.sessionKey(), payload, parts[3]) && !(auth.reloaded() && signedBy(auth.sessionKey(), payload, parts[3]))) {
            return null;
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(parts[1]) * 1000;
        } catch (NumberFormatException e) {
            return null;
        }
        if (expiresAt <= clock.millis() || ended(parts[2])) {
            return null;
        }
        return new Session(parts[2], expiresAt);
    }

    /** The CSRF token of a session: what a page sends in {@value #CSRF_HEADER} with each write. */
    String csrf(Session s) {
        return mac(auth.sessionKey(), "csrf." + s.id());
    }

    /** Null when the request may go on with its session cookie; else the problem, for a 401 or 403. */
    AdminAuth.Refusal check(Context ctx) {
        Session s = of(ctx);
        if (s == null) {
            return new AdminAuth.Refusal(401, "the console session has expired or was signed out; sign in again at /");
        }
        if (!SAFE_METHODS.contains(ctx.method().name())) {
            String given = ctx.header(CSRF_HEADER);
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), csrf(s).getBytes(StandardCharsets.UTF_8))) {
                return new AdminAuth.Refusal(403, "a write with the console session needs the header " + CSRF_HEADER
                        + " from GET /v1/admin/session; reload the page");
            }
        }
        return null;
    }

    /** Remembers the session as signed out until it would have expired (and forgets those past it). */
    void end(Session s) {
        long now = clock.millis();
        db.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM console_sessions_ended WHERE expires_at < ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO console_sessions_ended (session_id, expires_at) VALUES (?, ?) "
                         + "ON CONFLICT (session_id) DO NOTHING")) {
                del.setLong(1, now);
                del.executeUpdate();
                ins.setString(1, s.id());
                ins.setLong(2, s.expiresAt());
                ins.executeUpdate();
            }
            return null;
        });
    }

    /** The Set-Cookie value for {@code value}; an empty value with Max-Age=0 removes the cookie. */
    static String cookie(String value, Context ctx) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + (value.isEmpty() ? 0 : LIFETIME.toSeconds()) + (https ? "; Secure" : "");
    }

    private boolean ended(String id) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM console_sessions_ended WHERE session_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private static boolean signedBy(byte[] key, String payload, String mac) {
        return MessageDigest.isEqual(mac(key, payload).getBytes(StandardCharsets.US_ASCII), mac.getBytes(StandardCharsets.US_ASCII));
    }

    static String mac(byte[] key, String payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return B64.encodeToString(m.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
