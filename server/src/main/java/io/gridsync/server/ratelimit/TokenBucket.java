package io.gridsync.server.ratelimit;

/**
 * Refills at {@code perSecond} tokens a second up to {@code perSecond} (a burst of one second's
 * worth); each request takes one. Times are the caller's clock, in milliseconds.
 */
final class TokenBucket {

    private final double perSecond;
    private double tokens;
    private long refilledAt;

    TokenBucket(double perSecond, long now) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.refilledAt = now;
    }

    /** 0 when a token was taken, else the milliseconds until one will be there. */
    synchronized long take(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) * 1000 / perSecond);
    }

    /** Full again: the bucket can be forgotten, a new one would be the same. */
    synchronized boolean full(long now) {
        refill(now);
        return tokens >= perSecond;
    }

    private void refill(long now) {
        if (now > refilledAt) {
            tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1000.0);
            refilledAt = now;
        }
    }
}
