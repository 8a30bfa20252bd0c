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

    /**
     * How long a provisional window stays open without an answer naming the real one: SendGrid's
     * shortest window. Any answer for a window still open replaces it well before.
     */
    static final long PROVISIONAL_MILLIS = 1_000;

    /**
     * Takes one call from the open window. When it has reset, the first taker opens the next one
     * provisionally with its last known limit, in the same statement, so the calls every node makes
     * before an answer names the new window are counted in it rather than going out unpaced; the
     * first answer then keeps the lower of what it says remains and what the nodes left.
     */
    @Override
    public RateLimitPacer.Window take(String family, long now) {
        try {
            return db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE rate_limits SET "
                        + "remaining = CASE WHEN reset_at > ? THEN remaining - 1 ELSE lim - 1 END, "
                        + "provisional = CASE WHEN reset_at > ? THEN provisional ELSE 1 END, "
                        + "reset_at = CASE WHEN reset_at > ? THEN reset_at ELSE ? END "
                        // a window a 429 made before any answer named a limit (lim 0) opens nothing: calls go unpaced
                        + "WHERE account = ? AND family = ? AND (reset_at > ? OR lim > 0) RETURNING lim, remaining + 1, reset_at")) {
                    ps.setLong(1, now);
                    ps.setLong(2, now);
                    ps.setLong(3, now);
                    ps.setLong(4, now + PROVISIONAL_MILLIS);
                    ps.setString(5, account);
                    ps.setString(6, family);
                    ps.setLong(7, now);
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

    /**
     * An answer's window: a newer one replaces the stored one, the same one seen later may only lower
     * what remains. A provisional window takes the first answer naming a window still open, keeping
     * the lower count: calls the nodes made from it may not have reached SendGrid when it answered.
     */
    @Override
    public void update(String family, int limit, int remaining, long resetMillis) {
        write("INSERT INTO rate_limits (account, family, lim, remaining, reset_at) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (account, family) DO UPDATE SET lim = excluded.lim, reset_at = excluded.reset_at, provisional = 0, "
                + "remaining = CASE WHEN rate_limits.provisional = 1 THEN LEAST(excluded.remaining, rate_limits.remaining) "
                + "ELSE excluded.remaining END "
                // a late answer for the window that reset does not replace the provisional one
                + "WHERE (rate_limits.provisional = 1 AND excluded.reset_at > ?) "
                + "OR (rate_limits.provisional = 0 AND (excluded.reset_at > rate_limits.reset_at "
                + "OR (excluded.reset_at = rate_limits.reset_at AND excluded.remaining < rate_limits.remaining)))",
                family, limit, remaining, resetMillis, System.currentTimeMillis());
    }

    /** A 429: nothing remains until the reset it named, which is the real window's even when a provisional one was open. */
    @Override
    public void exhaust(String family, long resetMillis) {
        write("INSERT INTO rate_limits (account, family, lim, remaining, reset_at) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (account, family) DO UPDATE SET remaining = 0, provisional = 0, "
                + "reset_at = CASE WHEN rate_limits.provisional = 1 OR excluded.reset_at > rate_limits.reset_at "
                + "THEN excluded.reset_at ELSE rate_limits.reset_at END", family, 0, 0, resetMillis);
    }

    /** Runs {@code sql} with the account, family, limit, remaining and reset, then {@code more} parameters. */
    private void write(String sql, String family, int limit, int remaining, long resetMillis, long... more) {
        try {
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, account);
                    ps.setString(2, family);
                    ps.setInt(3, limit);
                    ps.setInt(4, remaining);
                    ps.setLong(5, resetMillis);
                    for (int i = 0; i < more.length; i++) {
                        ps.setLong(6 + i, more[i]);
                    }
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
