package io.gridsync.server.warehouse;

import java.time.Instant;

/**
 * Checks and converts row values to what a column of each {@link ColumnType} takes, so every
 * dialect refuses the same wrong values with the same message.
 */
final class WarehouseValues {

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

    /** A timestamp column's text: UTC, always with milliseconds (fixed width, so text timestamps sort as times do in SQLite, whose date functions read it). */
    static String timestampText(Instant i) {
        return io.gridsync.server.IsoTimes.formatWithMillis(i);
    }

    private static IllegalArgumentException wrong(WarehouseTable t, int column, Object v, String expected) {
        WarehouseColumn c = t.columns().get(column);
        return new IllegalArgumentException("column " + t.name() + "." + c.name() + " (" + c.type() + ") takes " + expected
                + ", not a " + v.getClass().getSimpleName());
    }
}
