package io.gridsync.emulator.fields;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The account's custom field definitions (at most 500), keyed by id. */
public final class FieldStore {

    public static final int MAX_CUSTOM_FIELDS = 500;

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

    /** Adds a field with a fresh opaque id; name and cap rules are the API's to check first. */
    public synchronized FieldDefinition create(String name, FieldType type) {
        FieldDefinition f = new FieldDefinition("e" + nextNumber++ + "_" + type.idSuffix, name, type);
        byId.put(f.id(), f);
        return f;
    }

    public synchronized int size() {
        return byId.size();
    }

    synchronized Collection<FieldDefinition> values() {
        return byId.values();
    }
}
