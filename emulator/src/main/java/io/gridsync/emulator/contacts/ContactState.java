package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One contact in the state file: {@code id}, {@code created_at}, {@code updated_at}, the set
 * reserved fields by their API names, {@code alternate_emails}, {@code list_ids}, and
 * {@code custom_fields} keyed by field id (ids are stable, names can be renamed).
 */
final class ContactState {

    private ContactState() {}

    static void write(JsonGenerator gen, Contact c) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("id", c.id);
        gen.writeStringField("created_at", IsoTime.format(c.createdAt));
        gen.writeStringField("updated_at", IsoTime.format(c.updatedAt));
        for (ContactField f : ContactField.ALL) {
            if (c.get(f) != null) {
                gen.writeStringField(f.json, c.get(f));
            }
        }
        writeStrings(gen, "alternate_emails", c.alternateEmails);
        writeStrings(gen, "list_ids", c.listIds);
        if (c.customFields != null) {
            gen.writeObjectFieldStart("custom_fields");
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
        gen.writeEndObject();
    }

    private static void writeStrings(JsonGenerator gen, String name, String[] values) throws IOException {
        if (values != null) {
            gen.writeArrayFieldStart(name);
            for (String v : values) {
                gen.writeString(v);
            }
            gen.writeEndArray();
        }
    }

    /** The contact of one state-file element, or null when it has no id or no identifier. */
    static Contact read(JsonNode n, Map<String, String> fieldIds, UnaryOperator<String> canonicalList, long now) {
        String id = n.path("id").asText(null);
        if (id == null || id.isEmpty()) {
            return null;
        }
        String[] values = new String[ContactField.ALL.length];
        boolean identified = false;
        for (ContactField f : ContactField.ALL) {
            JsonNode v = n.get(f.json);
            if (v != null && v.isTextual() && !v.asText().isEmpty()) {
                values[f.ordinal()] = f == ContactField.EMAIL ? v.asText().toLowerCase(java.util.Locale.ROOT) : v.asText();
                identified |= f.isIdentifier();
            }
        }
        if (!identified) {
            return null;
        }
        String[] alternates = strings(n.get("alternate_emails"), UnaryOperator.identity());
        String[] lists = strings(n.get("list_ids"), canonicalList);
        Object[] custom = null;
        JsonNode cf = n.get("custom_fields");
        if (cf != null && cf.isObject() && !cf.isEmpty()) {
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
            custom = pairs.toArray();
        }
        long created = IsoTime.parse(n.path("created_at").asText(null), now);
        long updated = IsoTime.parse(n.path("updated_at").asText(null), created);
        return new Contact(id, created, updated, values, alternates, lists, custom);
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
