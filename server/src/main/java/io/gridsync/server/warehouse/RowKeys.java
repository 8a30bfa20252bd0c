package io.gridsync.server.warehouse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the keys in one load distinct before it reaches the database: PostgreSQL and DuckDB refuse
 * an upsert that touches a row twice, and an append must keep the first of two equal events.
 */
final class RowKeys {

    private RowKeys() {}

    /** The rows with distinct keys, in their order; of equal keys the last ({@code lastWins}) or the first is kept. */
    static List<Object[]> distinct(WarehouseTable table, List<Object[]> rows, boolean lastWins) {
        int[] key = table.keyIndexes();
        for (Object[] row : rows) {
            if (row.length != table.width()) {
                throw new IllegalArgumentException("a row for table " + table.name() + " has " + row.length + " values; the table has "
                        + table.width() + " columns");
            }
            for (int k : key) {
                if (row[k] == null) {
                    throw new IllegalArgumentException("a row for table " + table.name() + " has no value in key column "
                            + table.columns().get(k).name());
                }
            }
        }
        Map<Object, Integer> seen = new HashMap<>(rows.size() * 2);
        boolean duplicates = false;
        for (int i = 0; i < rows.size(); i++) {
            Object k = keyOf(rows.get(i), key);
            Integer before = seen.putIfAbsent(k, i);
            if (before != null) {
                duplicates = true;
                if (lastWins) {
                    seen.put(k, i);
                }
            }
        }
        if (!duplicates) {
            return rows;
        }
        List<Object[]> out = new ArrayList<>(seen.size());
        for (int i = 0; i < rows.size(); i++) {
            if (seen.get(keyOf(rows.get(i), key)) == i) {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    private static Object keyOf(Object[] row, int[] key) {
        if (key.length == 1) {
            return row[key[0]];
        }
        Object[] k = new Object[key.length];
        for (int i = 0; i < key.length; i++) {
            k[i] = row[key[i]];
        }
        return Arrays.asList(k);
    }
}
