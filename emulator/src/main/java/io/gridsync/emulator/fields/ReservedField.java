package io.gridsync.emulator.fields;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A reserved field: one SendGrid defines on every contact. Custom fields may not take these names.
 * {@code read_only} ones are set by SendGrid itself, never by an upsert.
 */
public record ReservedField(String id, String name, FieldType type, boolean readOnly) {

    /**
     * As {@code GET /v3/marketing/field_definitions} lists them (ids and order from SendGrid's own
     * example), followed by the contact identifiers phone_number_id, external_id and anonymous_id.
     */
    public static final List<ReservedField> ALL = List.of(
            new ReservedField("_rf0_T", "first_name", FieldType.Text, false),
            new ReservedField("_rf1_T", "last_name", FieldType.Text, false),
            new ReservedField("_rf2_T", "email", FieldType.Text, false),
            new ReservedField("_rf3_T", "alternate_emails", FieldType.Text, false),
            new ReservedField("_rf4_T", "address_line_1", FieldType.Text, false),
            new ReservedField("_rf5_T", "address_line_2", FieldType.Text, false),
            new ReservedField("_rf6_T", "city", FieldType.Text, false),
            new ReservedField("_rf7_T", "state_province_region", FieldType.Text, false),
            new ReservedField("_rf8_T", "postal_code", FieldType.Text, false),
            new ReservedField("_rf9_T", "country", FieldType.Text, false),
            new ReservedField("_rf10_T", "phone_number", FieldType.Text, false),
            new ReservedField("_rf11_T", "whatsapp", FieldType.Text, false),
            new ReservedField("_rf12_T", "line", FieldType.Text, false),
            new ReservedField("_rf13_T", "facebook", FieldType.Text, false),
            new ReservedField("_rf14_T", "unique_name", FieldType.Text, false),
            new ReservedField("_rf15_T", "email_domains", FieldType.Text, true),
            new ReservedField("_rf16_D", "last_clicked", FieldType.Date, true),
            new ReservedField("_rf17_D", "last_opened", FieldType.Date, true),
            new ReservedField("_rf18_D", "last_emailed", FieldType.Date, true),
            new ReservedField("_rf19_T", "singlesend_id", FieldType.Text, true),
            new ReservedField("_rf20_T", "automation_id", FieldType.Text, true),
            new ReservedField("_rf21_D", "created_at", FieldType.Date, true),
            new ReservedField("_rf22_D", "updated_at", FieldType.Date, true),
            new ReservedField("_rf23_T", "contact_id", FieldType.Text, true),
            new ReservedField("_rf24_T", "phone_number_id", FieldType.Text, false),
            new ReservedField("_rf25_T", "external_id", FieldType.Text, false),
            new ReservedField("_rf26_T", "anonymous_id", FieldType.Text, false));

    /** The reserved field a name collides with, ignoring case. */
    public static Optional<ReservedField> named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(f -> f.name().equals(lower)).findFirst();
    }

    public static Optional<ReservedField> withId(String id) {
        return ALL.stream().filter(f -> f.id().equals(id)).findFirst();
    }
}
