package io.gridsync.server;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 times read and written without java.time's formatters, for the paths that handle one
 * per message or row: a {@code DateTimeFormatter} parse builds maps of fields and costs several
 * microseconds (profiled in collect: 40% of a request thread's time went to reading each message's
 * timestamp and sentAt). The form clients send ({@code 2024-05-01T10:00:00.123Z}, or with an
 * offset) is read here; anything else is handed to {@link OffsetDateTime#parse}, so what is
 * accepted and how it is read stay exactly java.time's. Years outside 0000-9999 are written by
 * java.time too.
 */
public final class IsoTimes {

    /** What {@link #millis} answers for a text that is not an ISO-8601 date-time with an offset. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final DateTimeFormatter WITH_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private IsoTimes() {}

    /** Epoch milliseconds of an ISO-8601 date-time with an offset (as {@code OffsetDateTime.parse}), or {@link #INVALID}. */
    public static long millis(String s) {
        long fast = fastMillis(s);
        if (fast != INVALID) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return INVALID;
        }
    }

    /** The text {@code Instant.ofEpochMilli(millis).toString()} gives (milliseconds only when not zero). */
    public static String format(long millis) {
        String text = text(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000), false);
        return text != null ? text : Instant.ofEpochMilli(millis).toString();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC, always with milliseconds (the warehouse's timestamp text). */
    public static String formatWithMillis(Instant i) {
        String text = text(i.getEpochSecond(), i.getNano() / 1_000_000, true);
        return text != null ? text : WITH_MILLIS.format(i);
    }

    /** The UTC text of an instant; null outside years 0000 to 9999 (java.time's own text then: signs, more digits). */
    private static String text(long seconds, int ms, boolean alwaysMillis) {
        long day = Math.floorDiv(seconds, 86_400);
        int secOfDay = (int) Math.floorMod(seconds, 86_400);
        if (day < -719_528 || day > 2_932_896) {
            return null;
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        boolean withMillis = alwaysMillis || ms != 0;
        char[] out = new char[withMillis ? 24 : 20];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secOfDay % 60, 2);
        if (withMillis) {
            out[19] = '.';
            digits(out, 20, ms, 3);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM|-HH:MM)} with every field in its plain range;
     * {@link #INVALID} for anything else, which {@link #millis} then leaves to java.time (lower-case
     * t or z, offsets with seconds, hour 24, leap seconds, years past 9999, wrong dates).
     */
    private static long fastMillis(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return INVALID;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return INVALID;
        }
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        if (day > DAYS_IN_MONTH[month - 1] + (month == 2 && leap ? 1 : 0)) {
            return INVALID;
        }
        int at = 19;
        int millis = 0;
        if (s.charAt(at) == '.') {
            int digits = 0;
            at++;
            while (at < n && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                if (digits < 3) {
                    millis = millis * 10 + (s.charAt(at) - '0');
                }
                digits++;
                at++;
            }
            if (digits == 0 || digits > 9) {
                return INVALID;
            }
            for (int d = digits; d < 3; d++) {
                millis *= 10;
            }
        }
        if (at >= n) {
            return INVALID;
        }
        int offsetSeconds;
        char sign = s.charAt(at);
        if (sign == 'Z' && at + 1 == n) {
            offsetSeconds = 0;
        } else if ((sign == '+' || sign == '-') && at + 6 == n && s.charAt(at + 3) == ':') {
            int oh = number(s, at + 1, 2);
            int om = number(s, at + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59 || (oh == 18 && om > 0)) {
                return INVALID;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
        } else {
            return INVALID;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
        return seconds * 1000 + millis;
    }

    /** The decimal number of {@code width} ASCII digits at {@code from}; -1 when one is not a digit. */
    private static int number(String s, int from, int width) {
        int v = 0;
        for (int i = from; i < from + width; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
