package io.gridsync.server.erasure;

import java.util.List;
import java.util.Locale;

/**
 * One identifier of a person, as an erasure names it: {@code user_id} and {@code anonymous_id}
 * (Segment's), {@code email}, {@code phone_number_id}, {@code external_id} (SendGrid's). Emails are
 * lower-case, as SendGrid keeps them; every value is trimmed.
 */
public record Identifier(String type, String value) {

    public static final List<String> TYPES = List.of("user_id", "anonymous_id", "email", "phone_number_id", "external_id");

    public Identifier {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown identifier type " + type + "; use one of " + TYPES);
        }
        value = value.trim();
        if (type.equals("email")) {
            value = value.toLowerCase(Locale.ROOT);
        }
    }

    /** The journal's person key of a Segment identifier ({@code user:...}, {@code anon:...}); null for the others. */
    public String personKey() {
        return switch (type) {
            case "user_id" -> "user:" + value;
            case "anonymous_id" -> "anon:" + value;
            default -> null;
        };
    }

    /** SendGrid's and the identity ledger's name of the type; null for {@code user_id}, which SendGrid does not know. */
    public String ledgerType() {
        return type.equals("user_id") ? null : type;
    }

    /**
     * Whether the value is distinctive enough to be searched for anywhere in a stored text (emails,
     * phone and external ids); a user id such as {@code 42} is matched only where it is a user id.
     */
    boolean matchAnywhere() {
        return !type.equals("user_id") && !type.equals("anonymous_id");
    }

    /** Whether {@code text} is this identifier's value (case-insensitively for emails). */
    boolean matches(String text) {
        if (text == null) {
            return false;
        }
        return type.equals("email") ? text.trim().equalsIgnoreCase(value) : text.trim().equals(value);
    }
}
