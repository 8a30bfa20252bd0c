package io.gridsync.emulator.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window rate limits per API key and endpoint family, as SendGrid applies them, with the
 * numbers behind the {@code X-RateLimit-Limit/Remaining/Reset} headers (Reset in epoch seconds).
 */
public final class RateLimiter {

    /** A limit of {@code requests} per window of {@code windowSeconds}. */
    public record Limit(int requests, int windowSeconds) {
        public Limit {
            if (requests < 1 || windowSeconds < 1) {
                throw new IllegalArgumentException("a rate limit needs at least 1 request per at least 1 second");
            }
        }

        /** Parses {@code 600/60s}, {@code 600/60} or {@code 600} (per second). */
        public static Limit parse(String spec) {
            String s = spec.trim();
            int slash = s.indexOf('/');
            if (slash < 0) {
                return new Limit(Integer.parseInt(s), 1);
            }
            String window = s.substring(slash + 1).replaceAll("s$", "");
            return new Limit(Integer.parseInt(s.substring(0, slash)), Integer.parseInt(window));
        }
    }

    /** What one request was allowed, for the response headers. */
    public record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds) {}

    private static final class Window {
        long start;
        int used;
    }

    private final Map<String, Limit> limits = new ConcurrentHashMap<>();
    private volatile Limit defaultLimit;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimiter(Limit defaultLimit) {
        this.defaultLimit = defaultLimit;
    }

    public void setLimit(String family, Limit limit) {
        limits.put(family, limit);
        windows.keySet().removeIf(k -> k.endsWith("|" + family));
    }

    public void setDefault(Limit limit) {
        this.defaultLimit = limit;
        windows.clear();
    }

    public Limit limitOf(String family) {
        return limits.getOrDefault(family, defaultLimit);
    }

    public Map<String, Limit> limits() {
        return Map.copyOf(limits);
    }

    public Limit defaultLimit() {
        return defaultLimit;
    }

    /** Takes one request from the key's window for the family. */
    public Decision acquire(String key, String family, long nowMillis) {
        Limit limit = limitOf(family);
        long windowMillis = limit.windowSeconds() * 1000L;
        Window w = windows.computeIfAbsent(key + "|" + family, k -> new Window());
        synchronized (w) {
            if (nowMillis - w.start >= windowMillis) {
                w.start = nowMillis - (nowMillis % windowMillis);
                w.used = 0;
            }
            long reset = (w.start + windowMillis + 999) / 1000;
            if (w.used >= limit.requests()) {
                return new Decision(false, limit.requests(), 0, reset);
            }
            w.used++;
            return new Decision(true, limit.requests(), limit.requests() - w.used, reset);
        }
    }

    /** Headers for a response that took nothing from the window (e.g. a 401). */
    public Decision peek(String family, long nowMillis) {
        Limit limit = limitOf(family);
        long windowMillis = limit.windowSeconds() * 1000L;
        long start = nowMillis - (nowMillis % windowMillis);
        return new Decision(true, limit.requests(), limit.requests(), (start + windowMillis + 999) / 1000);
    }

    public void reset() {
        windows.clear();
    }
}
