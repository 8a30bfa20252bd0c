package io.gridsync.server.warehouse;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Checks and converts row values to what a column of each {@link ColumnType} takes, so every
 * dialect refuses the same wrong values with the same message.
 */
final class WarehouseValues {

    /** Fixed width, so text timestamps (SQLite) sort as times do; SQLite's date functions read it. */
    static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private WarehouseValues() {}

    static long bigint(WarehouseTable t, int column, Object v) {
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return n.longValue();
        }
        throw wrong(t, column, v, "an integer (Long)");
    }

    static double dbl(WarehouseTable t, int column, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrong(t, column, v, "a number");
    }

    static boolean bool(WarehouseTable t, int column, Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrong(t, column, v, "a Boolean");
    }

    static Instant timestamp(WarehouseTable t, int column, Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        throw wrong(t, column, v, "an Instant");
    }

    static String text(Object v) {
        return v instanceof String s ? s : v.toString();
    }

    /** {@link #TIMESTAMP_TEXT} by hand: a load formats one per row and column, DateTimeFormatter is slow at that. */
    static String timestampText(Instant i) {
        long seconds = i.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return TIMESTAMP_TEXT.format(i);
        }
        char[] c = new char[24];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, secondOfDay / 3600, 2);
        c[13] = ':';
        put(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secondOfDay % 60, 2);
        c[19] = '.';
        put(c, 20, i.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int digits) {
        for (int d = digits - 1; d >= 0; d--) {
            c[at + d] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static IllegalArgumentException wrong(WarehouseTable t, int column, Object v, String expected) {
        WarehouseColumn c = t.columns().get(column);
        return new IllegalArgumentException("column " + t.name() + "." + c.name() + " (" + c.type() + ") takes " + expected
                + ", not a " + v.getClass().getSimpleName());
    }
}
