package io.gridsync.core.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Segment-style field mapping, compiled once from its stored JSON and applied to many events.
 *
 * <ul>
 *   <li>literal values (strings, numbers, booleans) are copied;</li>
 *   <li>{@code {"@path": "$.traits.email"}} reads the event;</li>
 *   <li>{@code {"@if": {"exists"|"blank": <value>, "then": <value>, "else": <value>}}} chooses;</li>
 *   <li>{@code {"@template": "{{traits.first_name}} {{traits.last_name}}"}} renders text;</li>
 *   <li>{@code {"@arrayPath": ["$.properties.products", {"id": {"@path": "$.product_id"}}]}} maps each item;</li>
 *   <li>{@code {"@case": {"operator": "lower"|"upper", "value": <value>}}} changes case;</li>
 *   <li>objects and arrays are mapped member by member; members that resolve to nothing are left out.</li>
 * </ul>
 * Compilation rejects unknown {@code @} directives with a message naming them, so a typo in a
 * stored mapping is caught when it is saved, not when the first event arrives.
 */
public abstract sealed class Mapping {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Resolves against an event; null means "undefined" (the field is left out). */
    public abstract JsonNode resolve(JsonNode event);

    public static Mapping compile(JsonNode spec) {
        return compile(spec, "$mapping");
    }

    private static Mapping compile(JsonNode spec, String where) {
        if (spec == null || spec.isNull() || spec.isMissingNode()) {
            return new Literal(null);
        }
        if (spec.isArray()) {
            List<Mapping> items = new ArrayList<>();
            for (int i = 0; i < spec.size(); i++) {
                items.add(compile(spec.get(i), where + "[" + i + "]"));
            }
            return new ArrayOf(items);
        }
        if (!spec.isObject()) {
            return new Literal(spec);
        }
        if (spec.size() == 1) {
            String key = spec.fieldNames().next();
            if (key.startsWith("@")) {
                return directive(key, spec.get(key), where);
            }
        }
        Map<String, Mapping> members = new LinkedHashMap<>();
        spec.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("@")) {
                throw new MappingException(where + ": directive " + e.getKey() + " must be the only key of its object");
            }
            members.put(e.getKey(), compile(e.getValue(), where + "." + e.getKey()));
        });
        return new ObjectOf(members);
    }

    private static Mapping directive(String name, JsonNode arg, String where) {
        switch (name) {
            case "@path" -> {
                if (!arg.isTextual()) {
                    throw new MappingException(where + ": @path takes a string such as \"$.traits.email\"");
                }
                return new Path(JsonPath.parse(arg.asText()));
            }
            case "@template" -> {
                if (!arg.isTextual()) {
                    throw new MappingException(where + ": @template takes a string such as \"{{traits.first_name}}\"");
                }
                return new Template(arg.asText());
            }
            case "@if" -> {
                if (!arg.isObject() || !(arg.has("exists") ^ arg.has("blank"))) {
                    throw new MappingException(where + ": @if takes {\"exists\": ..., \"then\": ..., \"else\": ...} "
                            + "(or \"blank\" instead of \"exists\")");
                }
                boolean blank = arg.has("blank");
                return new If(compile(arg.get(blank ? "blank" : "exists"), where + ".@if"), blank,
                        compile(arg.get("then"), where + ".@if.then"), compile(arg.get("else"), where + ".@if.else"));
            }
            case "@arrayPath" -> {
                if (!arg.isArray() || arg.isEmpty() || !arg.get(0).isTextual()) {
                    throw new MappingException(where + ": @arrayPath takes [\"$.path.to.array\", {item mapping}]");
                }
                return new ArrayPath(JsonPath.parse(arg.get(0).asText()),
                        arg.size() > 1 ? compile(arg.get(1), where + ".@arrayPath") : null);
            }
            case "@case" -> {
                String op = arg.path("operator").asText("");
                if (!op.equals("lower") && !op.equals("upper")) {
                    throw new MappingException(where + ": @case takes {\"operator\": \"lower\"|\"upper\", \"value\": ...}");
                }
                return new Case(op.equals("lower"), compile(arg.get("value"), where + ".@case"));
            }
            default -> throw new MappingException(where + ": unknown directive " + name
                    + "; known: @path, @template, @if, @arrayPath, @case");
        }
    }

    static boolean isBlank(JsonNode v) {
        return v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())
                || (v.isContainerNode() && v.isEmpty());
    }

    static final class Literal extends Mapping {
        private final JsonNode value;

        Literal(JsonNode value) {
            this.value = value;
        }

        @Override
        public JsonNode resolve(JsonNode event) {
            return value;
        }
    }

    static final class Path extends Mapping {
        private final JsonPath path;

        Path(JsonPath path) {
            this.path = path;
        }

        @Override
        public JsonNode resolve(JsonNode event) {
            return path.read(event);
        }
    }

    static final class Template extends Mapping {
        private final List<Object> parts = new ArrayList<>();

        Template(String text) {
            int i = 0;
            while (i < text.length()) {
                int open = text.indexOf("{{", i);
                if (open < 0) {
                    parts.add(text.substring(i));
                    break;
                }
                int close = text.indexOf("}}", open);
                if (close < 0) {
                    throw new MappingException("@template: unclosed {{ in \"" + text + "\"");
                }
                if (open > i) {
                    parts.add(text.substring(i, open));
                }
                parts.add(JsonPath.parse(text.substring(open + 2, close).trim()));
                i = close + 2;
            }
        }

        @Override
        public JsonNode resolve(JsonNode event) {
            StringBuilder sb = new StringBuilder();
            for (Object p : parts) {
                if (p instanceof JsonPath path) {
                    JsonNode v = path.read(event);
                    if (v != null) {
                        sb.append(v.isValueNode() ? v.asText() : v.toString());
                    }
                } else {
                    sb.append((String) p);
                }
            }
            return NODES.textNode(sb.toString());
        }
    }

    static final class If extends Mapping {
        private final Mapping test;
        private final boolean blank;
        private final Mapping then;
        private final Mapping otherwise;

        If(Mapping test, boolean blank, Mapping then, Mapping otherwise) {
            this.test = test;
            this.blank = blank;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        public JsonNode resolve(JsonNode event) {
            JsonNode v = test.resolve(event);
            boolean holds = blank ? isBlank(v) : v != null && !v.isNull();
            return (holds ? then : otherwise).resolve(event);
        }
    }

    static final class ArrayPath extends Mapping {
        private final JsonPath path;
        private final Mapping item;

        ArrayPath(JsonPath path, Mapping item) {
            this.path = path;
            this.item = item;
        }

        @Override
        public JsonNode resolve(JsonNode event) {
            JsonNode arr = path.read(event);
            if (arr == null || !arr.isArray()) {
                return null;
            }
            if (item == null) {
                return arr;
            }
            ArrayNode out = NODES.arrayNode();
            for (JsonNode element : arr) {
                JsonNode v = item.resolve(element);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
    }

    static final class Case extends Mapping {
        private final boolean lower;
        private final Mapping value;

        Case(boolean lower, Mapping value) {
            this.lower = lower;
            this.value = value;
        }

        @Override
        public JsonNode resolve(JsonNode event) {
            JsonNode v = value.resolve(event);
            if (v == null || !v.isTextual()) {
                return v;
            }
            return NODES.textNode(lower ? v.asText().toLowerCase(java.util.Locale.ROOT) : v.asText().toUpperCase(java.util.Locale.ROOT));
        }
    }

    static final class ObjectOf extends Mapping {
        private final Map<String, Mapping> members;

        ObjectOf(Map<String, Mapping> members) {
            this.members = members;
        }

        @Override
        public JsonNode resolve(JsonNode event) {
            ObjectNode out = NODES.objectNode();
            members.forEach((k, m) -> {
                JsonNode v = m.resolve(event);
                if (v != null) {
                    out.set(k, v);
                }
            });
            return out;
        }
    }

    static final class ArrayOf extends Mapping {
        private final List<Mapping> items;

        ArrayOf(List<Mapping> items) {
            this.items = items;
        }

        @Override
        public JsonNode resolve(JsonNode event) {
            ArrayNode out = NODES.arrayNode();
            for (Mapping m : items) {
                JsonNode v = m.resolve(event);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
    }
}
