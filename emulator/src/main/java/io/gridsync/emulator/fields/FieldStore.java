package io.gridsync.emulator.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.state.Persistable;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The account's custom field definitions (at most 500), keyed by opaque id. {@link #add} and
 * {@link #rename} apply SendGrid's name rules: letters, digits and underscores, not starting with
 * a digit, at most 100 characters, unique regardless of case, and not a reserved field's name.
 */
public final class FieldStore implements Persistable {

    public static final int MAX_CUSTOM_FIELDS = 500;
    public static final int MAX_NAME_LENGTH = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, FieldDefinition> byId = new LinkedHashMap<>();
    private int nextNumber = 1;

    public synchronized Optional<FieldDefinition> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized Optional<FieldDefinition> byName(String name) {
        return byId.values().stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    public synchronized List<FieldDefinition> all() {
        return List.copyOf(byId.values());
    }

    /** Adds a field with a fresh opaque id and no checks (seeding and tests); the API uses {@link #add}. */
    public synchronized FieldDefinition create(String name, FieldType type) {
        FieldDefinition f = new FieldDefinition("e" + nextNumber++ + "_" + type.idSuffix, name, type);
        byId.put(f.id(), f);
        return f;
    }

    /** Adds a field after checking its name and the 500-field cap; a broken rule is a 400. */
    public synchronized FieldDefinition add(String name, FieldType type) {
        checkName(name, null);
        if (byId.size() >= MAX_CUSTOM_FIELDS) {
            throw ApiError.badRequest("name", "the account already has " + MAX_CUSTOM_FIELDS
                    + " custom fields, the most SendGrid allows; delete one before creating another");
        }
        return create(name, type);
    }

    /** Renames a field, keeping its id and type; empty when there is no such field. */
    public synchronized Optional<FieldDefinition> rename(String id, String name) {
        FieldDefinition f = byId.get(id);
        if (f == null) {
            return Optional.empty();
        }
        checkName(name, id);
        FieldDefinition renamed = new FieldDefinition(id, name, f.type());
        byId.put(id, renamed);
        return Optional.of(renamed);
    }

    /** Removes a field definition; false when there was no such field. */
    public synchronized boolean delete(String id) {
        return byId.remove(id) != null;
    }

    public synchronized int size() {
        return byId.size();
    }

    synchronized Collection<FieldDefinition> values() {
        return byId.values();
    }

    private void checkName(String name, String exceptId) {
        if (name == null || name.isEmpty()) {
            throw ApiError.badRequest("name", "name is required: 1 to " + MAX_NAME_LENGTH
                    + " letters, digits and underscores, not starting with a digit");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiError.badRequest("name", "name is " + name.length() + " characters long; a custom field name has at most "
                    + MAX_NAME_LENGTH);
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiError.badRequest("name", "'" + name + "' is not a valid custom field name: use only letters A-Z, "
                    + "digits 0-9 and underscores, and begin with a letter or an underscore");
        }
        ReservedField reserved = ReservedField.named(name).orElse(null);
        if (reserved != null) {
            throw ApiError.badRequest("name", "'" + name + "' is the name of the reserved field '" + reserved.name()
                    + "'; choose another name");
        }
        for (FieldDefinition f : byId.values()) {
            if (!f.id().equals(exceptId) && f.name().equalsIgnoreCase(name)) {
                throw ApiError.badRequest("name", "a custom field named '" + f.name() + "' already exists (id " + f.id()
                        + "); custom field names are unique regardless of case");
            }
        }
    }

    @Override
    public String stateKey() {
        return "field_definitions";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode root = Json.object();
        root.put("next_number", nextNumber);
        ArrayNode fields = root.putArray("custom_fields");
        for (FieldDefinition f : byId.values()) {
            fields.addObject().put("id", f.id()).put("name", f.name()).put("field_type", f.type().name());
        }
        return root;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        byId.clear();
        for (JsonNode f : node.path("custom_fields")) {
            FieldDefinition d = new FieldDefinition(f.get("id").asText(), f.get("name").asText(),
                    FieldType.valueOf(f.get("field_type").asText()));
            byId.put(d.id(), d);
        }
        nextNumber = Math.max(1, node.path("next_number").asInt(byId.size() + 1));
    }

    @Override
    public synchronized void clearState() {
        byId.clear();
        nextNumber = 1;
    }
}
