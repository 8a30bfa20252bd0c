package io.gridsync.core.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.sendgrid.CustomField;
import io.gridsync.core.sendgrid.SendGridApi;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The account's field definitions, cached. Custom fields are named by id ({@code e1_T}) or by
 * name, case-insensitively; a name not in the cache triggers one refresh, since someone may have
 * just created it in SendGrid's UI. Values are coerced to the field's type here.
 */
public final class FieldCatalog {

    /** How SendGrid's Date custom fields are written in upserts (as in its CSV imports). */
    public static final DateTimeFormatter SENDGRID_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy", Locale.ROOT);

    private final SendGridApi api;
    private List<CustomField> cache;

    public FieldCatalog(SendGridApi api) {
        this.api = api;
    }

    /** The custom field for an id or a name, refreshing once on a miss. */
    public synchronized Optional<CustomField> resolve(String idOrName) {
        Optional<CustomField> f = find(definitions(), idOrName);
        if (f.isEmpty()) {
            cache = api.fieldDefinitions();
            f = find(cache, idOrName);
        }
        return f;
    }

    /** The field named {@code name}, created with {@code type} when it does not exist. */
    public synchronized CustomField ensure(String name, String type) {
        Optional<CustomField> f = resolve(name);
        if (f.isPresent()) {
            return f.get();
        }
        CustomField created;
        try {
            created = api.createField(name, type);
        } catch (io.gridsync.core.sendgrid.SendGridException e) {
            // someone else (another hub of a cluster, a person in the UI) created it since the refresh: use theirs
            if (e.status() == 400) {
                cache = api.fieldDefinitions();
                Optional<CustomField> theirs = find(cache, name);
                if (theirs.isPresent()) {
                    return theirs.get();
                }
            }
            throw e;
        }
        List<CustomField> withNew = new java.util.ArrayList<>(definitions());
        withNew.add(created);
        cache = List.copyOf(withNew);
        return created;
    }

    /**
     * Writes {@code {"name or id": value}} into the draft as custom fields keyed by id, coerced to
     * each field's type.
     *
     * @throws IllegalArgumentException naming the first field that is unknown or whose value does not fit
     */
    public void writeCustomFields(ContactDraft draft, JsonNode values) {
        if (values == null || !values.isObject()) {
            return;
        }
        var it = values.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue() == null || e.getValue().isNull()) {
                continue;
            }
            CustomField f = resolve(e.getKey()).orElseThrow(() -> new IllegalArgumentException("unknown custom field '"
                    + e.getKey() + "': create it in SendGrid (Marketing > Custom Fields) or fix the mapping"));
            draft.customField(f.id(), coerce(f, e.getValue()));
        }
    }

    private List<CustomField> definitions() {
        if (cache == null) {
            cache = api.fieldDefinitions();
        }
        return cache;
    }

    private static Optional<CustomField> find(List<CustomField> fields, String idOrName) {
        for (CustomField f : fields) {
            if (!f.reserved() && f.id().equals(idOrName)) {
                return Optional.of(f);
            }
        }
        for (CustomField f : fields) {
            if (!f.reserved() && f.name().equalsIgnoreCase(idOrName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * A value as the field's type needs it: Text gets a string (booleans, objects and arrays as
     * their JSON text, as Segment sends them), Number a number (numeric strings accepted), Date
     * {@code MM/DD/YYYY} from an ISO-8601 date or date-time, epoch milliseconds, or MM/DD/YYYY.
     *
     * @throws IllegalArgumentException with a message naming the field, when the value cannot be converted
     */
    public static JsonNode coerce(CustomField field, JsonNode value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (field.type()) {
            case "Number" -> {
                if (value.isNumber()) {
                    return value;
                }
                if (value.isTextual()) {
                    try {
                        return nodes.numberNode(new BigDecimal(value.asText().trim()));
                    } catch (NumberFormatException e) {
                        // fall through to the error
                    }
                }
                throw new IllegalArgumentException("custom field '" + field.name() + "' is a Number; got " + value);
            }
            case "Date" -> {
                return nodes.textNode(toSendGridDate(value).orElseThrow(() -> new IllegalArgumentException(
                        "custom field '" + field.name() + "' is a Date; got " + value + " (send ISO 8601 such as 2024-05-01 or 2024-05-01T12:00:00Z)")));
            }
            default -> {
                return value.isTextual() ? value : nodes.textNode(value.isValueNode() ? value.asText() : value.toString());
            }
        }
    }

    /** Parses the date forms events carry into SendGrid's {@code MM/DD/YYYY}. */
    public static Optional<String> toSendGridDate(JsonNode value) {
        if (value.isNumber()) {
            return Optional.of(SENDGRID_DATE.format(Instant.ofEpochMilli(value.asLong()).atOffset(ZoneOffset.UTC)));
        }
        if (!value.isTextual()) {
            return Optional.empty();
        }
        String s = value.asText().trim();
        try {
            return Optional.of(SENDGRID_DATE.format(OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC)));
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(SENDGRID_DATE.format(Instant.parse(s).atOffset(ZoneOffset.UTC)));
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(SENDGRID_DATE.format(LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s)));
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(SENDGRID_DATE.format(LocalDate.parse(s, SENDGRID_DATE)));
        } catch (DateTimeParseException ignored) {
            return Optional.empty();
        }
    }
}
