package io.gridsync.core.sendgrid;

import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Paces calls from SendGrid's {@code X-RateLimit-Limit/Remaining/Reset} headers, per endpoint
 * family, so that 429s are rare: when a window is nearly used up the remaining calls are spread
 * over the time left, and when it is used up (or a 429 came) calls wait until the window resets.
 * The windows are this process's own by default; the hubs of a cluster share theirs
 * ({@link Windows}), so together they stay within the account's one budget.
 */
public final class RateLimitPacer {

    /** What the last response said about a family's window; {@code remaining} is decremented per call. */
    public record Window(int limit, int remaining, long resetMillis) {}

    /**
     * A call's turn: wait {@code waitMillis}, then go when {@code taken} (the call counts in the window
     * it goes out in); otherwise the window is used up: wait for its reset and reserve again, so the
     * call counts in the next window instead of going out uncounted when it opens.
     */
    public record Turn(long waitMillis, boolean taken) {}

    /** Where the windows are kept: in this process, or where every process calling the account sees them. */
    public interface Windows {
        /**
         * Takes one call from the family's window while it is open (it may open the next one when it
         * knows its limit); the window as it was before, or null when none is open.
         */
        Window take(String family, long now);

        /** A response's window: a newer one replaces it, the same one seen later may only lower what remains. */
        void update(String family, int limit, int remaining, long resetMillis);

        /** A 429: nothing remains until {@code resetMillis} (or a later reset already known). */
        void exhaust(String family, long resetMillis);
    }

    /** Below this share of the window left, calls are spread over the time that is left. */
    private static final double SPREAD_BELOW = 0.1;

    private final Windows windows;
    private final LongSupplier clock;

    public RateLimitPacer() {
        this(new LocalWindows(), System::currentTimeMillis);
    }

    /** Paced by windows kept elsewhere (a cluster's database). */
    public RateLimitPacer(Windows windows) {
        this(windows, System::currentTimeMillis);
    }

    RateLimitPacer(LongSupplier clock) {
        this(new LocalWindows(), clock);
    }

    RateLimitPacer(Windows windows, LongSupplier clock) {
        this.windows = windows;
        this.clock = clock;
    }

    /** The next call's turn in this family: how long it should wait, and whether it took one call from the window. */
    public Turn reserve(String family) {
        long now = clock.getAsLong();
        Window w = windows.take(family, now);
        if (w == null || now >= w.resetMillis()) {
            return new Turn(0, true); // no window, or it has reset; the next response tells us the new one
        }
        long left = w.resetMillis() - now;
        if (w.remaining() <= 0) {
            return new Turn(left, false);
        }
        if (w.remaining() < Math.max(1, w.limit() * SPREAD_BELOW)) {
            return new Turn(left / (w.remaining() + 1), true);
        }
        return new Turn(0, true);
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
        windows.exhaust(family, resetMillis);
    }

    void update(String family, int limit, int remaining, long resetMillis) {
        windows.update(family, limit, remaining, resetMillis);
    }

    /** One process's windows. */
    static final class LocalWindows implements Windows {

        private static final class Mutable {
            int limit;
            int remaining;
            long resetMillis;
        }

        private final Map<String, Mutable> windows = new ConcurrentHashMap<>();

        @Override
        public Window take(String family, long now) {
            Mutable w = windows.get(family);
            if (w == null) {
                return null;
            }
            synchronized (w) {
                Window before = new Window(w.limit, w.remaining, w.resetMillis);
                if (now < w.resetMillis) {
                    w.remaining--;
                }
                return before;
            }
        }

        @Override
        public void update(String family, int limit, int remaining, long resetMillis) {
            Mutable w = windows.computeIfAbsent(family, k -> new Mutable());
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

        @Override
        public void exhaust(String family, long resetMillis) {
            Mutable w = windows.computeIfAbsent(family, k -> new Mutable());
            synchronized (w) {
                w.remaining = 0;
                w.resetMillis = Math.max(w.resetMillis, resetMillis);
            }
        }
    }
}
