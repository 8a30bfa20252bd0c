package io.gridsync.server.source;

import io.gridsync.server.Durations;

import java.time.Duration;

/** Sync intervals as people write them: {@code 3h}, {@code 45m}, {@code PT3H}, or {@code off} (on demand only). */
public final class Intervals {

    /** Shorter intervals would mostly repeat contact exports SendGrid is still preparing. */
    public static final Duration MINIMUM = Duration.ofMinutes(1);
    public static final Duration DEFAULT = Duration.ofHours(3);

    private Intervals() {}

    /** The interval {@code text} says; {@link Duration#ZERO} for off. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("off") || t.equals("0")) {
            return Duration.ZERO;
        }
        Duration d;
        try {
            d = Durations.parse(t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("interval '" + text + "' is not a duration; write e.g. 3h, 45m, PT3H, or off");
        }
        if (d.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException("interval '" + text + "' is shorter than " + MINIMUM.toMinutes()
                    + " minute; write at least 1m, or off to sync only on demand");
        }
        return d;
    }

    /** {@code 3h}, {@code 90m}, {@code 45s} or {@code off}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "off";
        }
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
