package io.gridsync.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.mapping.Mapping;
import io.gridsync.core.mapping.MappingException;
import io.gridsync.core.message.Message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An action's fields compiled with a subscription's mapping: each field takes the subscription's
 * mapping for its key, else its default. Resolving a message gives the action's payload.
 */
public final class ActionPayloads {

    private final Map<String, Mapping> mappings = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    /** Compiles; an override for a key the action does not have is an error naming the known keys. */
    public ActionPayloads(Action action, JsonNode overrides) {
        Map<String, ActionField> byKey = new LinkedHashMap<>();
        action.fields().forEach(f -> byKey.put(f.key(), f));
        if (overrides != null && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new MappingException(action.key() + ": a mapping is an object of field -> value");
            }
            overrides.fieldNames().forEachRemaining(k -> {
                if (!byKey.containsKey(k)) {
                    throw new MappingException(action.key() + ": no field '" + k + "'; fields are " + byKey.keySet());
                }
            });
        }
        for (ActionField f : action.fields()) {
            JsonNode spec = overrides != null && overrides.has(f.key()) ? overrides.get(f.key()) : f.defaultMapping();
            if (spec != null) {
                mappings.put(f.key(), Mapping.compile(spec));
            }
            if (f.required()) {
                required.add(f.key());
            }
        }
    }

    /** The payload for a message; missing required fields are listed by the caller via {@link #missingRequired}. */
    public ObjectNode resolve(Message message) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        mappings.forEach((k, m) -> {
            JsonNode v = m.resolve(message.json());
            if (v != null && !v.isNull()) {
                out.set(k, v);
            }
        });
        return out;
    }

    public List<String> missingRequired(ObjectNode payload) {
        List<String> missing = new ArrayList<>();
        for (String k : required) {
            JsonNode v = payload.get(k);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
                missing.add(k);
            }
        }
        return missing;
    }
}
