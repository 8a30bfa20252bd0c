package io.gridsync.server.retention;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one chunk removed: rows per table, and whether the purge may have more to remove now.
 */
record Removed(Map<String, Long> rows, boolean more) {

    static Removed nothing() {
        return new Removed(Map.of(), false);
    }

    static Removed of(String table, long rows, boolean more) {
        return new Removed(Map.of(table, rows), more);
    }

    static Removed of(String table, long rows, String table2, long rows2, boolean more) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(table, rows);
        m.put(table2, rows2);
        return new Removed(m, more);
    }
}
