package io.gridsync.core.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.mapping.JsonPath;

import java.util.ArrayList;
import java.util.List;

/**
 * A subscription's trigger, in the subset of Segment's FQL that subscriptions use:
 * {@code type = "identify"}, {@code event = "Order Completed"}, {@code type != "track"},
 * {@code context.personas.computation_key exists}, joined with {@code and}, {@code or} and
 * parentheses. Field names are paths into the message ({@code properties.plan}).
 */
public abstract sealed class Trigger {

    public abstract boolean matches(JsonNode message);

    /** Parses; a malformed trigger is an {@link IllegalArgumentException} naming where it broke. */
    public static Trigger parse(String text) {
        Parser p = new Parser(text);
        Trigger t = p.or();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.substring(p.pos) + "'");
        }
        return t;
    }

    static final class Compare extends Trigger {
        final JsonPath path;
        final String value;
        final boolean equal;

        Compare(JsonPath path, String value, boolean equal) {
            this.path = path;
            this.value = value;
            this.equal = equal;
        }

        @Override
        public boolean matches(JsonNode message) {
            JsonNode v = path.read(message);
            boolean same = v != null && v.isValueNode() && v.asText().equals(value);
            return equal == same;
        }
    }

    static final class Exists extends Trigger {
        final JsonPath path;

        Exists(JsonPath path) {
            this.path = path;
        }

        @Override
        public boolean matches(JsonNode message) {
            return path.read(message) != null;
        }
    }

    static final class Junction extends Trigger {
        final List<Trigger> parts;
        final boolean all;

        Junction(List<Trigger> parts, boolean all) {
            this.parts = parts;
            this.all = all;
        }

        @Override
        public boolean matches(JsonNode message) {
            for (Trigger t : parts) {
                if (t.matches(message) != all) {
                    return !all;
                }
            }
            return all;
        }
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        Trigger or() {
            List<Trigger> parts = new ArrayList<>(List.of(and()));
            while (keyword("or")) {
                parts.add(and());
            }
            return parts.size() == 1 ? parts.get(0) : new Junction(parts, false);
        }

        Trigger and() {
            List<Trigger> parts = new ArrayList<>(List.of(atom()));
            while (keyword("and")) {
                parts.add(atom());
            }
            return parts.size() == 1 ? parts.get(0) : new Junction(parts, true);
        }

        Trigger atom() {
            skipSpace();
            if (peek('(')) {
                pos++;
                Trigger t = or();
                skipSpace();
                if (!peek(')')) {
                    throw error("missing )");
                }
                pos++;
                return t;
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || "._$".indexOf(s.charAt(pos)) >= 0)) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a field such as type or event");
            }
            JsonPath path = JsonPath.parse(s.substring(start, pos));
            if (keyword("exists")) {
                return new Exists(path);
            }
            skipSpace();
            boolean equal;
            if (s.startsWith("!=", pos)) {
                equal = false;
                pos += 2;
            } else if (peek('=')) {
                equal = true;
                pos += s.startsWith("==", pos) ? 2 : 1;
            } else {
                throw error("expected =, != or exists");
            }
            skipSpace();
            if (!peek('"')) {
                throw error("expected a \"quoted\" value");
            }
            int close = s.indexOf('"', pos + 1);
            if (close < 0) {
                throw error("unclosed quote");
            }
            String value = s.substring(pos + 1, close);
            pos = close + 1;
            return new Compare(path, value, equal);
        }

        boolean keyword(String k) {
            skipSpace();
            if (s.regionMatches(true, pos, k, 0, k.length())
                    && (pos + k.length() == s.length() || !Character.isLetterOrDigit(s.charAt(pos + k.length())))) {
                pos += k.length();
                return true;
            }
            return false;
        }

        boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("trigger '" + s + "': " + what + " at character " + (pos + 1));
        }
    }
}
