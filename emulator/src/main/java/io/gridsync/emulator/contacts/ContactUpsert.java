package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * One contact of a {@code PUT /v3/marketing/contacts} request after the synchronous checks:
 * syntax is valid, identifiers are present, custom field ids exist. Custom field values are
 * still raw JSON, because their types are checked when the job runs, as SendGrid does (a
 * mismatch is an errored row, not a 400).
 */
final class ContactUpsert {

    /** Position in the request's {@code contacts} array. */
    final int index;
    /** Indexed by {@link ContactField#ordinal()}; null means omitted (keep the stored value). */
    final String[] values;
    /** Null means omitted; otherwise replaces the stored alternate emails. */
    final String[] alternateEmails;
    /** Custom field id -> raw value, or null when the contact sets none. */
    final Map<String, JsonNode> customFields;

    ContactUpsert(int index, String[] values, String[] alternateEmails, Map<String, JsonNode> customFields) {
        this.index = index;
        this.values = values;
        this.alternateEmails = alternateEmails;
        this.customFields = customFields;
    }

    String get(ContactField f) {
        return values[f.ordinal()];
    }
}
