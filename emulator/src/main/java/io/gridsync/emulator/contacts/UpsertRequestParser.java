package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.fields.FieldDefinition;
import io.gridsync.emulator.fields.FieldStore;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.lists.ContactList;
import io.gridsync.emulator.lists.ListStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The synchronous checks of {@code PUT /v3/marketing/contacts}, the ones SendGrid answers with a
 * 400 before queueing a job: body shape and JSON types, 1..30,000 contacts, an identifier on each
 * contact, email and phone syntax, length limits, duplicate identifiers within the request
 * (emails compared case-insensitively), list ids and custom field ids that exist, and reserved
 * fields used where they do not belong. All problems are reported at once, up to
 * {@link #MAX_REPORTED_ERRORS}.
 */
final class UpsertRequestParser {

    static final int MAX_CONTACTS = 30_000;
    static final int MAX_ALTERNATE_EMAILS = 5;
    static final int MAX_REPORTED_ERRORS = 100;

    /** Names a user may not set in an upsert: SendGrid sets them, or they are not per contact. */
    private static final Set<String> READ_ONLY = Set.of("id", "contact_id", "created_at", "updated_at", "list_ids",
            "segment_ids", "_metadata");
    /** Reserved field names (SendGrid's list) that are not custom fields and so may not key custom_fields. */
    private static final Set<String> RESERVED_NAMES = reservedNames();

    private final ListStore lists;
    private final FieldStore fields;
    private final List<ApiError.FieldError> errors = new ArrayList<>();
    private int suppressed;

    /** A validated request. */
    record Parsed(List<String> listIds, List<ContactUpsert> contacts) {}

    private UpsertRequestParser(ListStore lists, FieldStore fields) {
        this.lists = lists;
        this.fields = fields;
    }

    static Parsed parse(ObjectNode body, ListStore lists, FieldStore fields) {
        return new UpsertRequestParser(lists, fields).run(body);
    }

    private static Set<String> reservedNames() {
        Set<String> names = new LinkedHashSet<>(READ_ONLY);
        for (ContactField f : ContactField.values()) {
            names.add(f.json);
        }
        names.addAll(List.of("alternate_emails", "lists", "segments", "last_emailed", "last_clicked", "last_opened"));
        return Set.copyOf(names);
    }

    private void error(String field, String message) {
        if (errors.size() < MAX_REPORTED_ERRORS) {
            errors.add(new ApiError.FieldError(field, message));
        } else {
            suppressed++;
        }
    }

    private Parsed run(ObjectNode body) {
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("contacts") && !name.equals("list_ids")) {
                error(name, "unknown field " + name + "; the request body has list_ids and contacts");
            }
        });
        List<String> listIds = parseListIds(body.get("list_ids"));
        JsonNode contacts = body.get("contacts");
        List<ContactUpsert> rows = new ArrayList<>();
        if (contacts == null || contacts.isNull()) {
            error("contacts", "contacts is required: send an array of 1 to 30,000 contacts");
        } else if (!contacts.isArray()) {
            error("contacts", "contacts must be an array of contact objects");
        } else if (contacts.isEmpty()) {
            error("contacts", "contacts is empty: send 1 to 30,000 contacts");
        } else if (contacts.size() > MAX_CONTACTS) {
            error("contacts", String.format(Locale.ROOT, "too many contacts: %,d in one request, the limit is 30,000; "
                    + "split them into several requests", contacts.size()));
        } else {
            Map<ContactField, Map<String, Integer>> seen = new HashMap<>();
            for (int i = 0; i < contacts.size(); i++) {
                ContactUpsert row = parseContact(i, contacts.get(i));
                if (row != null) {
                    checkDuplicates(row, seen);
                    rows.add(row);
                }
            }
        }
        if (!errors.isEmpty()) {
            if (suppressed > 0) {
                errors.add(new ApiError.FieldError("", suppressed + " more errors not shown; fix the ones above and retry"));
            }
            throw new ApiError(400, errors);
        }
        return new Parsed(listIds, rows);
    }

    private List<String> parseListIds(JsonNode node) {
        List<String> ids = new ArrayList<>();
        if (node == null || node.isNull()) {
            return ids;
        }
        if (!node.isArray()) {
            error("list_ids", "list_ids must be an array of list id strings");
            return ids;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            String field = "list_ids[" + i + "]";
            if (!v.isTextual()) {
                error(field, field + " must be a string (a list id)");
                continue;
            }
            Optional<ContactList> list = lists.byId(v.asText());
            if (list.isEmpty()) {
                error(field, "list " + v.asText() + " does not exist; create it with POST /v3/marketing/lists or check the id");
            } else if (!ids.contains(list.get().id())) {
                ids.add(list.get().id());
            }
        }
        return ids;
    }

    private ContactUpsert parseContact(int i, JsonNode node) {
        String at = "contacts[" + i + "]";
        if (!node.isObject()) {
            error(at, at + " must be a JSON object");
            return null;
        }
        int errorsBefore = errors.size() + suppressed;
        String[] values = new String[ContactField.ALL.length];
        String[] alternates = null;
        Map<String, JsonNode> custom = null;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            String field = at + "." + name;
            ContactField f = ContactField.byJson(name);
            if (f != null) {
                values[f.ordinal()] = parseReserved(f, field, v);
            } else if (name.equals("alternate_emails")) {
                alternates = parseAlternates(field, v);
            } else if (name.equals("custom_fields")) {
                custom = parseCustomFields(field, v);
            } else if (READ_ONLY.contains(name)) {
                error(field, name.equals("id") || name.equals("contact_id")
                        ? "a contact's ID cannot be used to update the contact; identify it by email, phone_number_id, external_id or anonymous_id"
                        : name.equals("list_ids")
                        ? "list_ids is set for the whole request, next to contacts, not per contact"
                        : name + " is set by SendGrid and cannot be written");
            } else {
                error(field, "unknown field " + name + "; custom fields go in custom_fields, keyed by field id");
            }
        }
        boolean identified = false;
        for (ContactField id : ContactField.IDENTIFIERS) {
            identified |= values[id.ordinal()] != null;
        }
        if (!identified) {
            error(at, at + " has no identifier: each contact needs at least one of email, phone_number_id, external_id or anonymous_id");
        }
        if (errors.size() + suppressed > errorsBefore) {
            return null;
        }
        return new ContactUpsert(i, values, alternates, custom);
    }

    /** The value to store, null when omitted (JSON null, or an empty identifier). */
    private String parseReserved(ContactField f, String field, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            error(field, field + " must be a string, got " + v.getNodeType().toString().toLowerCase(Locale.ROOT));
            return null;
        }
        String s = v.asText();
        if (s.isEmpty()) {
            return f.isIdentifier() ? null : "";
        }
        if (f.maxLength > 0 && s.codePointCount(0, s.length()) > f.maxLength) {
            error(field, field + " is longer than " + f.maxLength + " characters");
            return null;
        }
        if (f == ContactField.EMAIL) {
            if (!IdentifierSyntax.isEmail(s)) {
                error(field, "invalid email address \"" + s + "\"");
                return null;
            }
            return s.toLowerCase(Locale.ROOT);
        }
        if (f == ContactField.PHONE_NUMBER_ID && !IdentifierSyntax.isPhoneNumberId(s)) {
            error(field, "invalid phone number \"" + s + "\"; phone_number_id must be a phone number in E.164 form, e.g. +14155550100");
            return null;
        }
        return s;
    }

    private String[] parseAlternates(String field, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            error(field, field + " must be an array of email addresses");
            return null;
        }
        if (v.size() > MAX_ALTERNATE_EMAILS) {
            error(field, field + " has " + v.size() + " addresses; a contact has at most 5 alternate emails");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < v.size(); k++) {
            JsonNode e = v.get(k);
            String f = field + "[" + k + "]";
            if (!e.isTextual() || !IdentifierSyntax.isEmail(e.asText())) {
                error(f, "invalid email address " + e);
                continue;
            }
            String lower = e.asText().toLowerCase(Locale.ROOT);
            if (!out.contains(lower)) {
                out.add(lower);
            }
        }
        return out.toArray(new String[0]);
    }

    private Map<String, JsonNode> parseCustomFields(String field, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            error(field, field + " must be an object of custom field id to value, e.g. {\"e1_T\": \"coffee\"}");
            return null;
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) v::fields) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            String f = field + "." + key;
            Optional<FieldDefinition> def = fields.byId(key);
            if (def.isPresent()) {
                if (value.isNull()) {
                    continue; // null means "not sent", as for reserved fields
                }
                if (!value.isTextual() && !value.isNumber()) {
                    error(f, f + " must be a string or a number, got " + value.getNodeType().toString().toLowerCase(Locale.ROOT));
                } else {
                    out.put(def.get().id(), value);
                }
            } else if (RESERVED_NAMES.contains(key.toLowerCase(Locale.ROOT))) {
                error(f, key + " is a reserved field, not a custom field; set it at the top level of the contact"
                        + (READ_ONLY.contains(key.toLowerCase(Locale.ROOT)) ? " (it is read-only)" : ""));
            } else {
                Optional<FieldDefinition> byName = fields.byName(key);
                error(f, byName.map(d -> "custom_fields are keyed by field id, not name: use " + d.id() + " for " + d.name())
                        .orElse("unknown custom field id " + key + "; create it with POST /v3/marketing/field_definitions "
                                + "and use the id it returns"));
            }
        }
        return out.isEmpty() ? null : out;
    }

    private void checkDuplicates(ContactUpsert row, Map<ContactField, Map<String, Integer>> seen) {
        for (ContactField id : ContactField.IDENTIFIERS) {
            String v = row.get(id);
            if (v == null) {
                continue;
            }
            Integer first = seen.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(v, row.index);
            if (first != null) {
                error("contacts[" + row.index + "]." + id.json, "duplicate " + id.json + " " + v + ": contacts[" + first + "] has it too"
                        + (id == ContactField.EMAIL ? " (emails are compared case-insensitively)" : "")
                        + "; send each contact once per request");
            }
        }
    }
}
