package io.gridsync.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builders for action fields and the default mappings Segment's SendGrid destinations use. */
public final class FieldDefaults {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    private FieldDefaults() {}

    public static JsonNode path(String path) {
        return N.objectNode().put("@path", path);
    }

    /** {@code $.traits.x} when it exists, else {@code $.properties.x}: Segment's usual default. */
    public static JsonNode traitsElseProps(String x) {
        return ifExists(path("$.traits." + x), path("$.traits." + x), path("$.properties." + x));
    }

    public static JsonNode ifExists(JsonNode test, JsonNode then, JsonNode otherwise) {
        ObjectNode iff = N.objectNode();
        ObjectNode body = iff.putObject("@if");
        body.set("exists", test);
        body.set("then", then);
        body.set("else", otherwise);
        return iff;
    }

    public static ActionField string(String key, String label, String description, JsonNode defaultMapping) {
        return new ActionField(key, label, "string", false, false, description, defaultMapping);
    }

    public static ActionField required(String key, String label, String type, String description, JsonNode defaultMapping) {
        return new ActionField(key, label, type, true, false, description, defaultMapping);
    }

    public static ActionField of(String key, String label, String type, boolean multiple, String description, JsonNode defaultMapping) {
        return new ActionField(key, label, type, false, multiple, description, defaultMapping);
    }
}
