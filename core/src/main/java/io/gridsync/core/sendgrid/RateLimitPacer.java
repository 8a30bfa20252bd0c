package io.gridsync.core.sendgrid;

import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Paces calls from SendGrid's {@code X-RateLimit-Limit/Remaining/Reset} headers, per endpoint
 * family, so that 429s are rare: when a window is nearly used up the remaining calls are spread
 * over the time left, and when it is used up (or a 429 came) calls wait until the window resets.
 */
public final class RateLimitPacer {

    /** What the last response said about a family's window; {@code remaining} is decremented locally per call. */
    private static final class Window {
        int limit;
        int remaining;
        long resetMillis;
    }

    /** Below this share of the window left, calls are spread over the time that is left. */
    private static final double SPREAD_BELOW = 0.1;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public RateLimitPacer() {
        this(System::currentTimeMillis);
    }

    RateLimitPacer(LongSupplier clock) {
        this.clock = clock;
    }

    /** How long the next call in this family should wait, and takes one call from the local window. */
    public long reserve(String family) {
        Window w = windows.get(family);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            long now = clock.getAsLong();
            if (now >= w.resetMillis) {
                return 0; // the window has reset; the next response tells us the new one
            }
            long left = w.resetMillis - now;
            long wait;
            if (w.remaining <= 0) {
                wait = left;
            } else if (w.remaining < Math.max(1, w.limit * SPREAD_BELOW)) {
                wait = left / (w.remaining + 1);
            } else {
                wait = 0;
            }
            w.remaining--;
            return wait;
        }
    }

    /** Takes the window from a response's headers (absent headers change nothing). */
    public void observe(String family, HttpHeaders headers) {
        var limit = headers.firstValue("X-RateLimit-Limit");
        var remaining = headers.firstValue("X-RateLimit-Remaining");
        var reset = headers.firstValue("X-RateLimit-Reset");
        if (limit.isEmpty() || remaining.isEmpty() || reset.isEmpty()) {
            return;
        }
        try {
            update(family, Integer.parseInt(limit.get().trim()), Integer.parseInt(remaining.get().trim()),
                    Long.parseLong(reset.get().trim()) * 1000);
        } catch (NumberFormatException ignored) {
            // a malformed header is not worth failing a call over
        }
    }

    /** A 429: nothing more in this family until the reset. */
    public void exhausted(String family, long resetMillis) {
        Window w = windows.computeIfAbsent(family, k -> new Window());
        synchronized (w) {
            w.remaining = 0;
            w.resetMillis = Math.max(w.resetMillis, resetMillis);
        }
    }

    void update(String family, int limit, int remaining, long resetMillis) {
        Window w = windows.computeIfAbsent(family, k -> new Window());
        synchronized (w) {
            if (resetMillis > w.resetMillis) {
                // a newer window
                w.limit = limit;
                w.remaining = remaining;
                w.resetMillis = resetMillis;
            } else if (resetMillis == w.resetMillis && remaining < w.remaining) {
                // the same window, seen by a later response
                w.remaining = remaining;
            }
        }
    }
}
