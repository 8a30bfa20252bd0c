package io.gridsync.core.contact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One contact to upsert, built from one or more inputs: its identifiers, reserved fields
 * (first_name, city, ...), custom fields keyed by field id, and the lists to add it to. Merging a
 * later draft into an earlier one lets the later fields win.
 */
public final class ContactDraft {

    /** The four identifiers SendGrid matches contacts on, in the order it documents them. */
    public static final List<String> IDENTIFIERS = List.of("email", "phone_number_id", "external_id", "anonymous_id");

    private final Map<String, String> identifiers = new LinkedHashMap<>();
    private final Map<String, JsonNode> fields = new LinkedHashMap<>();
    private final Map<String, JsonNode> customFields = new LinkedHashMap<>();
    private final Set<String> listIds = new TreeSet<>();
    private final List<Integer> inputs = new ArrayList<>();

    /** Sets an identifier; email is stored lower-case, as SendGrid does. */
    public ContactDraft identifier(String type, String value) {
        if (!IDENTIFIERS.contains(type)) {
            throw new IllegalArgumentException("not a SendGrid identifier: " + type);
        }
        if (value != null && !value.isBlank()) {
            identifiers.put(type, type.equals("email") ? value.trim().toLowerCase(Locale.ROOT) : value.trim());
        }
        return this;
    }

    public ContactDraft field(String name, JsonNode value) {
        fields.put(name, value);
        return this;
    }

    public ContactDraft customField(String id, JsonNode value) {
        customFields.put(id, value);
        return this;
    }

    public ContactDraft list(String listId) {
        if (listId != null && !listId.isBlank()) {
            listIds.add(listId);
        }
        return this;
    }

    /** Remembers that input {@code index} of the batch contributed to this contact. */
    public ContactDraft input(int index) {
        inputs.add(index);
        return this;
    }

    public Map<String, String> identifiers() {
        return identifiers;
    }

    public Set<String> listIds() {
        return listIds;
    }

    public List<Integer> inputs() {
        return inputs;
    }

    public boolean hasIdentifier() {
        return !identifiers.isEmpty();
    }

    /** Folds a later draft for the same person into this one: later values win, lists add up. */
    public void absorb(ContactDraft later) {
        later.identifiers.forEach(identifiers::put);
        later.fields.forEach(fields::put);
        later.customFields.forEach(customFields::put);
        listIds.addAll(later.listIds);
        inputs.addAll(later.inputs);
    }

    /** Adds identifiers the contact already has in SendGrid, without overriding the ones given. */
    public void carry(Map<String, String> known) {
        known.forEach(identifiers::putIfAbsent);
    }

    /** The contact as {@code PUT /v3/marketing/contacts} takes it. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        identifiers.forEach(o::put);
        fields.forEach(o::set);
        if (!customFields.isEmpty()) {
            ObjectNode cf = o.putObject("custom_fields");
            customFields.forEach(cf::set);
        }
        return o;
    }
}
