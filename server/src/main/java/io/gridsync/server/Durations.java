package io.gridsync.server;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as people write them, in settings and on the command line alike: {@code 30s},
 * {@code 15m}, {@code 24h}, {@code 2d}, {@code 500ms}, {@code 1h30m}, or ISO 8601 ({@code PT24H}, {@code P2D}).
 */
public final class Durations {

    private Durations() {}

    /** The duration {@code text} says; IllegalArgumentException with an example when it says none. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("p")) {
                return Duration.parse(t);
            }
            if (lower.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2)));
            }
            if (lower.matches("\\d+d")) {
                return Duration.ofDays(Long.parseLong(lower.substring(0, lower.length() - 1)));
            }
            if (lower.matches("(\\d+(\\.\\d+)?[hms])+")) {
                return Duration.parse("PT" + lower);
            }
        } catch (RuntimeException e) {
            // falls through to the one message below
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 30s, 2m, 24h or PT24H");
    }
}
