package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Contacts in the state file, as rows under a header of {@link #COLUMNS}: {@code id},
 * {@code created_at} and {@code updated_at} (epoch milliseconds), the reserved fields by their
 * API names, {@code alternate_emails}, {@code list_ids}, and {@code custom_fields} keyed by field
 * id. Rows rather than objects, and trailing nulls left out, because the whole file is parsed
 * into a tree on load: a million contacts must fit next to the store in 1 GiB.
 */
final class ContactState {

    static final List<String> COLUMNS = columns();
    private static final int FIRST_FIELD = 3;
    private static final int ALTERNATES = FIRST_FIELD + ContactField.ALL.length;
    private static final int LISTS = ALTERNATES + 1;
    private static final int CUSTOM = LISTS + 1;

    private ContactState() {}

    private static List<String> columns() {
        List<String> c = new ArrayList<>(List.of("id", "created_at", "updated_at"));
        for (ContactField f : ContactField.values()) {
            c.add(f.json);
        }
        c.addAll(List.of("alternate_emails", "list_ids", "custom_fields"));
        return List.copyOf(c);
    }

    static void write(JsonGenerator gen, Contact c) throws IOException {
        int last = lastColumn(c);
        gen.writeStartArray();
        gen.writeString(c.id);
        gen.writeNumber(c.createdAt);
        gen.writeNumber(c.updatedAt);
        for (int col = FIRST_FIELD; col <= Math.min(last, ALTERNATES - 1); col++) {
            String v = c.values[col - FIRST_FIELD];
            if (v == null) {
                gen.writeNull();
            } else {
                gen.writeString(v);
            }
        }
        if (last >= ALTERNATES) {
            writeStrings(gen, c.alternateEmails);
        }
        if (last >= LISTS) {
            writeStrings(gen, c.listIds);
        }
        if (last >= CUSTOM) {
            gen.writeStartObject();
            for (int i = 0; i < c.customFieldCount(); i++) {
                Object v = c.customFieldValue(i);
                gen.writeFieldName(c.customFieldId(i));
                if (v instanceof Long l) {
                    gen.writeNumber(l);
                } else if (v instanceof Double d) {
                    gen.writeNumber(d);
                } else {
                    gen.writeString(v.toString());
                }
            }
            gen.writeEndObject();
        }
        gen.writeEndArray();
    }

    /** The last column with a value, so trailing nulls can be left out. */
    private static int lastColumn(Contact c) {
        if (c.customFields != null) {
            return CUSTOM;
        }
        if (c.listIds != null) {
            return LISTS;
        }
        if (c.alternateEmails != null) {
            return ALTERNATES;
        }
        for (int i = c.values.length - 1; i >= 0; i--) {
            if (c.values[i] != null) {
                return FIRST_FIELD + i;
            }
        }
        return FIRST_FIELD - 1;
    }

    private static void writeStrings(JsonGenerator gen, String[] values) throws IOException {
        if (values == null) {
            gen.writeNull();
            return;
        }
        gen.writeStartArray();
        for (String v : values) {
            gen.writeString(v);
        }
        gen.writeEndArray();
    }

    /**
     * Reads rows written under {@code header} (the file's column names, which may be an older or
     * newer set than {@link #COLUMNS}): returns, per file column, its index in {@link #COLUMNS} or -1.
     */
    static int[] columnMap(JsonNode header) {
        int[] map = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            map[i] = COLUMNS.indexOf(header.get(i).asText());
        }
        return map;
    }

    /** The contact of one row, or null when it has no id or no identifier. */
    static Contact read(JsonNode row, int[] columnMap, Map<String, String> fieldIds, UnaryOperator<String> canonicalList, long now) {
        if (!row.isArray()) {
            return null;
        }
        JsonNode[] cells = new JsonNode[COLUMNS.size()];
        for (int i = 0; i < row.size() && i < columnMap.length; i++) {
            if (columnMap[i] >= 0) {
                cells[columnMap[i]] = row.get(i);
            }
        }
        String id = text(cells[0]);
        if (id == null) {
            return null;
        }
        String[] values = new String[ContactField.ALL.length];
        boolean identified = false;
        for (ContactField f : ContactField.ALL) {
            String v = text(cells[FIRST_FIELD + f.ordinal()]);
            if (v != null) {
                values[f.ordinal()] = f == ContactField.EMAIL ? v.toLowerCase(Locale.ROOT) : v;
                identified |= f.isIdentifier();
            }
        }
        if (!identified) {
            return null;
        }
        long created = cells[1] != null && cells[1].canConvertToLong() ? cells[1].longValue() : now;
        long updated = cells[2] != null && cells[2].canConvertToLong() ? cells[2].longValue() : created;
        return new Contact(id, created, updated, values, strings(cells[ALTERNATES], UnaryOperator.identity()),
                strings(cells[LISTS], canonicalList), custom(cells[CUSTOM], fieldIds));
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    private static Object[] custom(JsonNode cf, Map<String, String> fieldIds) {
        if (cf == null || !cf.isObject() || cf.isEmpty()) {
            return null;
        }
        List<Object> pairs = new ArrayList<>();
        cf.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            Object value = v.isIntegralNumber() && v.canConvertToLong() ? (Object) v.longValue()
                    : v.isNumber() ? (Object) v.doubleValue()
                    : v.isTextual() ? v.asText() : null;
            if (value != null) {
                pairs.add(fieldIds.computeIfAbsent(e.getKey(), k -> k));
                pairs.add(value);
            }
        });
        return pairs.toArray();
    }

    private static String[] strings(JsonNode array, UnaryOperator<String> canonical) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : array) {
            if (v.isTextual() && !v.asText().isEmpty() && !out.contains(v.asText())) {
                out.add(canonical.apply(v.asText()));
            }
        }
        return out.toArray(new String[0]);
    }
}
