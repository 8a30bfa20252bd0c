package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts per reason, each with its first few examples, so a report of a million-row cohort says
 * what went wrong and where without listing every row.
 */
final class Examples {

    static final int KEPT = 10;

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, ArrayNode> examples = new LinkedHashMap<>();

    void add(String reason, JsonNode example) {
        counts.merge(reason, 1L, Long::sum);
        ArrayNode list = examples.computeIfAbsent(reason, r -> JsonNodeFactory.instance.arrayNode());
        if (list.size() < KEPT) {
            list.add(example);
        }
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    long count(String reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** {@code {"reason": {"count": n, "examples": [...]}, ...}}. */
    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        counts.forEach((reason, n) -> {
            ObjectNode r = o.putObject(reason);
            r.put("count", n);
            r.set("examples", examples.get(reason));
        });
        return o;
    }
}
