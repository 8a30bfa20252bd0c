package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.emulator.fields.FieldDefinition;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a custom field value against its field's type and brings it to the stored form:
 * Text is a JSON string (at most 32,766 bytes, SendGrid's limit); Number is a JSON number;
 * Date is a string in one of the forms SendGrid accepts, {@code MM/DD/YYYY} (the form of its
 * CSV imports and UI), {@code YYYY-MM-DD} or an ISO 8601 date-time, stored and returned as an
 * ISO 8601 UTC timestamp such as {@code 2024-03-01T00:00:00Z}. An empty string clears any field.
 */
final class CustomFieldValues {

    static final int MAX_TEXT_BYTES = 32_766;
    /** The value meaning "remove this field from the contact". */
    static final Object CLEAR = new Object();

    private static final Pattern US_DATE = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private CustomFieldValues() {}

    /** The stored value: a String, a Number, or {@link #CLEAR}. */
    static Object normalize(FieldDefinition field, JsonNode value) throws RowError {
        if (value.isTextual() && value.asText().isEmpty()) {
            return CLEAR;
        }
        String where = "custom field " + field.id() + " (" + field.name() + ", " + field.type() + ")";
        switch (field.type()) {
            case Text -> {
                if (!value.isTextual()) {
                    throw new RowError(where + " must be a string, got " + describe(value));
                }
                String s = value.asText();
                if (s.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                    throw new RowError(where + " is longer than " + MAX_TEXT_BYTES + " bytes");
                }
                return s;
            }
            case Number -> {
                if (!value.isNumber()) {
                    throw new RowError(where + " must be a JSON number, got " + describe(value));
                }
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    return value.longValue();
                }
                double d = value.doubleValue();
                if (Double.isInfinite(d)) {
                    throw new RowError(where + " is out of range: " + value.asText());
                }
                return d;
            }
            case Date -> {
                if (!value.isTextual()) {
                    throw new RowError(where + " must be a date string (MM/DD/YYYY or ISO 8601), got " + describe(value));
                }
                String date = parseDate(value.asText());
                if (date == null) {
                    throw new RowError(where + ": \"" + value.asText() + "\" is not a date; send MM/DD/YYYY, "
                            + "YYYY-MM-DD or an ISO 8601 date-time such as 2024-03-01T12:00:00Z");
                }
                return date;
            }
            default -> throw new IllegalStateException("unknown field type " + field.type());
        }
    }

    /** The ISO 8601 UTC form of an accepted date, or null when the text is not one. */
    static String parseDate(String text) {
        try {
            Matcher us = US_DATE.matcher(text);
            if (us.matches()) {
                LocalDate d = LocalDate.of(Integer.parseInt(us.group(3)), Integer.parseInt(us.group(1)), Integer.parseInt(us.group(2)));
                return DateTimeFormatter.ISO_INSTANT.format(d.atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (ISO_DATE.matcher(text).matches()) {
                LocalDate d = LocalDate.parse(text);
                return DateTimeFormatter.ISO_INSTANT.format(d.atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            OffsetDateTime t = OffsetDateTime.parse(text);
            return DateTimeFormatter.ISO_INSTANT.format(t.toInstant().truncatedTo(ChronoUnit.SECONDS));
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "the string \"" + abbreviate(v.asText()) + "\"";
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        return v.getNodeType().toString().toLowerCase();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
