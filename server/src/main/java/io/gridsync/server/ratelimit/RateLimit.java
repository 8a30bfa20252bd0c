package io.gridsync.server.ratelimit;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per name (a write key, a client address), {@code perSecond} requests a second
 * each with a burst of one second's worth; 0 turns the limit off. Buckets that have filled up
 * again are forgotten once there are many, so a flood of addresses costs memory only while it lasts.
 */
public final class RateLimit {

    /** Above this many buckets, the full ones are swept out before a new one is added. */
    private static final int SWEEP_ABOVE = 10_000;

    private final double perSecond;
    private final Clock clock;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimit(double perSecond, Clock clock) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("a rate limit must not be negative");
        }
        this.perSecond = perSecond;
        this.clock = clock;
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    public double perSecond() {
        return perSecond;
    }

    /** 0 when {@code name} may make a request now, else the milliseconds until it may. */
    public long take(String name) {
        if (!enabled()) {
            return 0;
        }
        long now = clock.millis();
        TokenBucket b = buckets.get(name);
        if (b == null) {
            if (buckets.size() > SWEEP_ABOVE) {
                buckets.values().removeIf(old -> old.full(now));
            }
            b = buckets.computeIfAbsent(name, n -> new TokenBucket(perSecond, now));
        }
        return b.take(now);
    }

    /** Buckets held (for tests). */
    int size() {
        return buckets.size();
    }
}
