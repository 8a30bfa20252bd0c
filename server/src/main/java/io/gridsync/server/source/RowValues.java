package io.gridsync.server.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills rows of one table by column name, converting SendGrid's values to what each column takes:
 * JSON text for arrays and objects, instants for times.
 */
final class RowValues {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WarehouseTable table;
    private final Map<String, Integer> index = new HashMap<>();

    RowValues(WarehouseTable table) {
        this.table = table;
        for (int i = 0; i < table.width(); i++) {
            index.put(table.columns().get(i).name(), i);
        }
    }

    Object[] row() {
        return table.row();
    }

    /** Sets column {@code column} of {@code row}; the column must exist. */
    void set(Object[] row, String column, Object value) {
        Integer i = index.get(column);
        if (i == null) {
            throw new IllegalArgumentException("table " + table.name() + " has no column " + column);
        }
        row[i] = value;
    }

    boolean has(String column) {
        return index.containsKey(column);
    }

    /** A JSON array of the strings, or null for null. */
    static String jsonArray(List<String> values) {
        return values == null ? null : json(values);
    }

    /** {@code node} as JSON text; null for a missing or null node. */
    static String json(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.toString();
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
