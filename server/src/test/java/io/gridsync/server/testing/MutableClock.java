package io.gridsync.server.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test can set (signed webhook vectors carry timestamps from 2020); the system clock until then. */
public final class MutableClock extends Clock {

    private volatile Instant fixed;
    private volatile java.time.Duration ahead = java.time.Duration.ZERO;

    /** Stops the clock at {@code at}; null lets it run with the system clock again. */
    public void set(Instant at) {
        this.fixed = at;
    }

    /** Runs on with the system clock, {@code by} further ahead than before (scheduled work falls due). */
    public void runAhead(java.time.Duration by) {
        ahead = ahead.plus(by);
    }

    @Override
    public Instant instant() {
        Instant f = fixed;
        return f != null ? f : Instant.now().plus(ahead);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
