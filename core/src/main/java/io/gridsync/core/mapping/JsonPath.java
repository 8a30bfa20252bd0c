package io.gridsync.core.mapping;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The path syntax of Segment's mappings: {@code $.traits.email}, {@code $.properties['Order Id']},
 * {@code $.context.traits.address.city}, {@code $.products[0].id}. A missing step yields null
 * ("undefined"), never an error.
 */
public final class JsonPath {

    private final String source;
    private final List<Object> steps;

    private JsonPath(String source, List<Object> steps) {
        this.source = source;
        this.steps = steps;
    }

    /** Parses a path; {@code $} or {@code $.} alone is the whole event. */
    public static JsonPath parse(String path) {
        String p = path.trim();
        if (!p.startsWith("$")) {
            // templates write paths without the leading $ ({{traits.name}})
            p = "$." + p;
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                if (end == i + 1) {
                    if (end == p.length()) {
                        break;
                    }
                    throw new MappingException("empty step in path '" + path + "'");
                }
                steps.add(p.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int close = p.indexOf(']', i);
                if (close < 0) {
                    throw new MappingException("unclosed [ in path '" + path + "'");
                }
                String inner = p.substring(i + 1, close).trim();
                if (inner.length() >= 2 && (inner.startsWith("'") && inner.endsWith("'") || inner.startsWith("\"") && inner.endsWith("\""))) {
                    steps.add(inner.substring(1, inner.length() - 1));
                } else {
                    try {
                        steps.add(Integer.parseInt(inner));
                    } catch (NumberFormatException e) {
                        throw new MappingException("path '" + path + "': [" + inner + "] must be a number or a quoted key");
                    }
                }
                i = close + 1;
            } else {
                throw new MappingException("path '" + path + "' must look like $.traits.email");
            }
        }
        return new JsonPath(path, List.copyOf(steps));
    }

    /** The value at this path, or null when any step is missing or JSON null. */
    public JsonNode read(JsonNode root) {
        JsonNode cur = root;
        for (Object step : steps) {
            if (cur == null || cur.isNull() || cur.isMissingNode()) {
                return null;
            }
            cur = step instanceof Integer idx ? (cur.isArray() ? cur.get(idx) : null) : cur.get((String) step);
        }
        return cur == null || cur.isMissingNode() || cur.isNull() ? null : cur;
    }

    @Override
    public String toString() {
        return source;
    }
}
