package io.gridsync.server.erasure;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Everything known to name one person: the identifiers an erasure gave and those found linked to them. */
record Person(Set<Identifier> identifiers) {

    Person {
        identifiers = Set.copyOf(identifiers);
    }

    /** Journal person keys ({@code user:...}, {@code anon:...}). */
    List<String> personKeys() {
        return identifiers.stream().map(Identifier::personKey).filter(k -> k != null).sorted().toList();
    }

    List<String> valuesOf(String type) {
        return identifiers.stream().filter(i -> i.type().equals(type)).map(Identifier::value).sorted().toList();
    }

    List<String> emails() {
        return valuesOf("email");
    }

    /** The identifiers worth a substring search in stored texts (not user or anonymous ids, see {@link Identifier#matchAnywhere}). */
    List<Identifier> searchable() {
        return identifiers.stream().filter(Identifier::matchAnywhere).toList();
    }

    /** {@code LIKE} patterns (lower-case, escaped with backslash) of the searchable identifiers. */
    List<String> likePatterns() {
        return searchable().stream().map(i -> "%" + escapeLike(i.value().toLowerCase(Locale.ROOT)) + "%").toList();
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** {@code text} with every identifier value (any case) replaced by {@code [erased]}. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Identifier i : identifiers) {
            if (!i.value().isEmpty()) {
                out = out.replaceAll("(?i)" + java.util.regex.Pattern.quote(i.value()), "[erased]");
            }
        }
        return out;
    }
}
