package io.gridsync.emulator.contacts;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Timestamps as SendGrid writes them: ISO 8601 in UTC to the second, e.g. {@code 2024-03-01T15:25:47Z}. */
public final class IsoTime {

    private IsoTime() {}

    public static String format(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS));
    }

    /** Parses what {@link #format} wrote; a missing or malformed value gives {@code fallback}. */
    public static long parse(String text, long fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
