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

    static String timestampText(Instant i) {
        return TIMESTAMP_TEXT.format(i);
    }

    private static IllegalArgumentException wrong(WarehouseTable t, int column, Object v, String expected) {
        WarehouseColumn c = t.columns().get(column);
        return new IllegalArgumentException("column " + t.name() + "." + c.name() + " (" + c.type() + ") takes " + expected
                + ", not a " + v.getClass().getSimpleName());
    }
}
