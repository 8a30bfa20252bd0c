package io.gridsync.server.cluster;

import io.gridsync.core.sendgrid.RateLimitPacer;
import io.gridsync.server.health.LogEvery;
import io.gridsync.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;

/**
 * One SendGrid budget per account for the whole cluster: the pacer's rate-limit windows in the
 * state database (table rate_limits), so every node's calls draw on the same window and N nodes
 * together stay within it instead of each spending the whole of it. Pacing is advice: when the
 * database cannot answer, a call goes unpaced (SendGrid's 429 still stops it) rather than failing.
 */
public final class SharedRateLimits implements RateLimitPacer.Windows {

    private static final Logger log = LoggerFactory.getLogger(SharedRateLimits.class);
    private static final LogEvery failures = new LogEvery(Duration.ofMinutes(1));

    private final Database db;
    private final String account;

    /** The windows of the account {@code apiKey} opens at {@code baseUrl} (the key itself is never stored). */
    public SharedRateLimits(Database db, String baseUrl, String apiKey) {
        this.db = db;
        this.account = accountOf(baseUrl, apiKey);
    }

    @Override
    public RateLimitPacer.Window take(String family, long now) {
        try {
            return db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE rate_limits SET remaining = remaining - 1 "
                        + "WHERE account = ? AND family = ? AND reset_at > ? RETURNING lim, remaining + 1, reset_at")) {
                    ps.setString(1, account);
                    ps.setString(2, family);
                    ps.setLong(3, now);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? new RateLimitPacer.Window(rs.getInt(1), rs.getInt(2), rs.getLong(3)) : null;
                    }
                }
            });
        } catch (RuntimeException e) {
            failed(e);
            return null;
        }
    }

    @Override
    public void update(String family, int limit, int remaining, long resetMillis) {
        write("INSERT INTO rate_limits (account, family, lim, remaining, reset_at) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (account, family) DO UPDATE SET lim = excluded.lim, remaining = excluded.remaining, reset_at = excluded.reset_at "
                + "WHERE excluded.reset_at > rate_limits.reset_at "
                + "OR (excluded.reset_at = rate_limits.reset_at AND excluded.remaining < rate_limits.remaining)",
                family, limit, remaining, resetMillis);
    }

    @Override
    public void exhaust(String family, long resetMillis) {
        write("INSERT INTO rate_limits (account, family, lim, remaining, reset_at) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (account, family) DO UPDATE SET remaining = 0, reset_at = CASE WHEN excluded.reset_at > rate_limits.reset_at "
                + "THEN excluded.reset_at ELSE rate_limits.reset_at END", family, 0, 0, resetMillis);
    }

    private void write(String sql, String family, int limit, int remaining, long resetMillis) {
        try {
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, account);
                    ps.setString(2, family);
                    ps.setInt(3, limit);
                    ps.setInt(4, remaining);
                    ps.setLong(5, resetMillis);
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private static void failed(RuntimeException e) {
        long n = failures.tick("rate-limits");
        if (n > 0) {
            log.warn("the shared SendGrid rate-limit windows cannot be read or written ({} times in the last minute): {}; "
                    + "calls go unpaced meanwhile", n, e.getMessage());
        }
    }

    static String accountOf(String baseUrl, String apiKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((baseUrl + "\n" + apiKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
