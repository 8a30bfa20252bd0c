package io.gridsync.server.health;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a repeating failure to one log line per interval and kind: the first occurrence is logged
 * at once, the ones after it are counted and reported with the next line. An on-call engineer reads
 * "1,234 times in the last minute", not 1,234 lines.
 */
public final class LogEvery {

    private final long intervalMillis;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long loggedAt = Long.MIN_VALUE;
        long count;
    }

    public LogEvery(Duration interval) {
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Counts one occurrence of {@code kind}. Returns how many occurred since the last line (this one
     * included) when a line is due now, else 0 (the caller logs only when it is not 0).
     */
    public long tick(String kind) {
        return tick(kind, 1);
    }

    /** {@link #tick(String)} for {@code occurrences} at once. */
    public long tick(String kind, long occurrences) {
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long now = System.currentTimeMillis();
        synchronized (w) {
            w.count += occurrences;
            if (w.loggedAt != Long.MIN_VALUE && now - w.loggedAt < intervalMillis) {
                return 0;
            }
            long n = w.count;
            w.count = 0;
            w.loggedAt = now;
            return n;
        }
    }
}
