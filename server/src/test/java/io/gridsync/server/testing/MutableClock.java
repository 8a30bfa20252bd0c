package io.gridsync.server.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test can set (signed webhook vectors carry timestamps from 2020); the system clock until then. */
public final class MutableClock extends Clock {

    private volatile Instant fixed;

    /** Stops the clock at {@code at}; null lets it run with the system clock again. */
    public void set(Instant at) {
        this.fixed = at;
    }

    @Override
    public Instant instant() {
        Instant f = fixed;
        return f != null ? f : Instant.now();
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
