package io.gridsync.emulator.contacts;

import java.util.HashMap;
import java.util.Map;

/**
 * The reserved (non-custom) string fields of a marketing contact, with the JSON name used by the
 * API, the length limit from SendGrid's {@code ContactRequest} schema (0 when it sets none), and
 * the column name of SendGrid's CSV export. The first four are the identifiers.
 */
public enum ContactField {
    EMAIL("email", 254, "EMAIL"),
    PHONE_NUMBER_ID("phone_number_id", 0, "PHONE_NUMBER_ID"),
    EXTERNAL_ID("external_id", 254, "EXTERNAL_ID"),
    ANONYMOUS_ID("anonymous_id", 254, "ANONYMOUS_ID"),
    FIRST_NAME("first_name", 50, "FIRST_NAME"),
    LAST_NAME("last_name", 50, "LAST_NAME"),
    ADDRESS_LINE_1("address_line_1", 100, "ADDRESS_LINE_1"),
    ADDRESS_LINE_2("address_line_2", 100, "ADDRESS_LINE_2"),
    CITY("city", 60, "CITY"),
    STATE_PROVINCE_REGION("state_province_region", 50, "STATE_PROVINCE_REGION"),
    POSTAL_CODE("postal_code", 0, "POSTAL_CODE"),
    COUNTRY("country", 50, "COUNTRY"),
    PHONE_NUMBER("phone_number", 0, "PHONE_NUMBER"),
    WHATSAPP("whatsapp", 0, "WHATSAPP"),
    LINE("line", 0, "LINE"),
    FACEBOOK("facebook", 0, "FACEBOOK"),
    UNIQUE_NAME("unique_name", 0, "UNIQUE_NAME");

    /** The identifiers, in the order SendGrid lists them. */
    public static final ContactField[] IDENTIFIERS = {EMAIL, PHONE_NUMBER_ID, EXTERNAL_ID, ANONYMOUS_ID};
    static final ContactField[] ALL = values();
    private static final Map<String, ContactField> BY_JSON = new HashMap<>();

    static {
        for (ContactField f : ALL) {
            BY_JSON.put(f.json, f);
        }
    }

    public final String json;
    public final int maxLength;
    public final String csvColumn;

    ContactField(String json, int maxLength, String csvColumn) {
        this.json = json;
        this.maxLength = maxLength;
        this.csvColumn = csvColumn;
    }

    public boolean isIdentifier() {
        return ordinal() < IDENTIFIERS.length;
    }

    /** The field with this JSON name, or null. */
    public static ContactField byJson(String name) {
        return BY_JSON.get(name);
    }

    /** An identifier by the name used in {@code search/identifiers/{identifier_type}}, or null. */
    public static ContactField identifierByName(String name) {
        ContactField f = BY_JSON.get(name);
        return f != null && f.isIdentifier() ? f : null;
    }
}
