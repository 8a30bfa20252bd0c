package io.gridsync.server.warehouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A warehouse table: its name, typed columns and key (the columns rows are de-duplicated or
 * upserted on). Rows are {@code Object[]} in column order ({@link #row()} makes an empty one), so a
 * load of a million rows is a million arrays, not a million maps.
 */
public record WarehouseTable(String name, List<WarehouseColumn> columns, List<String> key) {

    /** Lower-case SQL identifiers, so no dialect needs quoting rules beyond double quotes. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public WarehouseTable {
        checkName(name, "table");
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + name + " needs at least one column");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (WarehouseColumn c : columns) {
            if (seen.put(c.name(), seen.size()) != null) {
                throw new IllegalArgumentException("table " + name + " has column " + c.name() + " twice");
            }
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("table " + name + " needs a key (the columns rows are de-duplicated on)");
        }
        for (String k : key) {
            if (!seen.containsKey(k)) {
                throw new IllegalArgumentException("key column " + k + " is not a column of table " + name);
            }
        }
    }

    public WarehouseTable(String name, List<WarehouseColumn> columns, String... key) {
        this(name, columns, List.of(key));
    }

    static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name '" + name
                    + "' must be 1 to 63 lower-case letters, digits or underscores, not starting with a digit");
        }
    }

    public int width() {
        return columns.size();
    }

    /** A row with every column NULL. */
    public Object[] row() {
        return new Object[columns.size()];
    }

    /** The position of column {@code column}, or -1. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    public boolean isKey(int column) {
        return key.contains(columns.get(column).name());
    }

    /** Positions of the key columns, in key order. */
    public int[] keyIndexes() {
        int[] out = new int[key.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = indexOf(key.get(i));
        }
        return out;
    }

    /** The columns that are not part of the key (what an upsert updates). */
    public List<WarehouseColumn> valueColumns() {
        List<WarehouseColumn> out = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (!isKey(i)) {
                out.add(columns.get(i));
            }
        }
        return out;
    }
}
