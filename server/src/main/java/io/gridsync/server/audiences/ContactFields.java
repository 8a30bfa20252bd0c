package io.gridsync.server.audiences;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The names a cohort column or an API member field may map to, besides custom fields. */
final class ContactFields {

    private ContactFields() {}

    /** SendGrid's reserved contact fields that take text. */
    static final Set<String> RESERVED = Set.of("first_name", "last_name", "address_line_1", "address_line_2", "city",
            "state_province_region", "postal_code", "country", "phone_number", "whatsapp", "line", "facebook", "unique_name");

    /** Identifiers other than email: a cohort is keyed by email, so these cannot be mapped. */
    static final List<String> OTHER_IDENTIFIERS = List.of("phone_number_id", "external_id", "anonymous_id");

    /** {@code First Name} and {@code first-name} both become {@code first_name}. */
    static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
    }
}
