package io.gridsync.core.contact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.Collections;
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
 *
 * <p>Kept compact (arrays, structures created only when used) because a backfill plans millions.
 */
public final class ContactDraft {

    /** The four identifiers SendGrid matches contacts on, in the order it documents them. */
    public static final List<String> IDENTIFIERS = List.of("email", "phone_number_id", "external_id", "anonymous_id");

    private final String[] identifiers = new String[IDENTIFIERS.size()];
    /** name, value, name, value, ... in first-set order. */
    private Object[] fields;
    private Object[] customFields;
    private TreeSet<String> listIds;
    private int[] inputs = new int[1];
    private int inputCount;
    /** Set once this draft has been folded into another by the planner. */
    private boolean absorbed;

    /** Sets an identifier; email is stored lower-case, as SendGrid does. */
    public ContactDraft identifier(String type, String value) {
        int i = IDENTIFIERS.indexOf(type);
        if (i < 0) {
            throw new IllegalArgumentException("not a SendGrid identifier: " + type);
        }
        if (value != null && !value.isBlank()) {
            identifiers[i] = i == 0 ? value.trim().toLowerCase(Locale.ROOT) : value.trim();
        }
        return this;
    }

    /** The identifier at {@link #IDENTIFIERS} position {@code i}, or null. */
    public String identifier(int i) {
        return identifiers[i];
    }

    public ContactDraft field(String name, JsonNode value) {
        fields = put(fields, name, value);
        return this;
    }

    public ContactDraft customField(String id, JsonNode value) {
        customFields = put(customFields, id, value);
        return this;
    }

    public ContactDraft list(String listId) {
        if (listId != null && !listId.isBlank()) {
            if (listIds == null) {
                listIds = new TreeSet<>();
            }
            listIds.add(listId);
        }
        return this;
    }

    /** Remembers that input {@code index} of the batch contributed to this contact. */
    public ContactDraft input(int index) {
        if (inputCount == inputs.length) {
            inputs = Arrays.copyOf(inputs, inputs.length * 2);
        }
        inputs[inputCount++] = index;
        return this;
    }

    /** The identifiers that are set, by name. */
    public Map<String, String> identifiers() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < identifiers.length; i++) {
            if (identifiers[i] != null) {
                out.put(IDENTIFIERS.get(i), identifiers[i]);
            }
        }
        return out;
    }

    public Set<String> listIds() {
        return listIds == null ? Collections.emptySet() : Collections.unmodifiableSet(listIds);
    }

    public List<Integer> inputs() {
        Integer[] out = new Integer[inputCount];
        for (int i = 0; i < inputCount; i++) {
            out[i] = inputs[i];
        }
        return Arrays.asList(out);
    }

    /** Whether the planner folded this draft into another (and so sends it as part of that one). */
    public boolean isAbsorbed() {
        return absorbed;
    }

    public boolean hasIdentifier() {
        for (String s : identifiers) {
            if (s != null) {
                return true;
            }
        }
        return false;
    }

    /** Folds a later draft for the same person into this one: later values win, lists add up. */
    public void absorb(ContactDraft later) {
        for (int i = 0; i < identifiers.length; i++) {
            if (later.identifiers[i] != null) {
                identifiers[i] = later.identifiers[i];
            }
        }
        for (int i = 0; later.fields != null && i < later.fields.length && later.fields[i] != null; i += 2) {
            fields = put(fields, (String) later.fields[i], (JsonNode) later.fields[i + 1]);
        }
        for (int i = 0; later.customFields != null && i < later.customFields.length && later.customFields[i] != null; i += 2) {
            customFields = put(customFields, (String) later.customFields[i], (JsonNode) later.customFields[i + 1]);
        }
        if (later.listIds != null) {
            later.listIds.forEach(this::list);
        }
        for (int i = 0; i < later.inputCount; i++) {
            input(later.inputs[i]);
        }
        later.absorbed = true;
    }

    /** Adds identifiers the contact already has in SendGrid, without overriding the ones given. */
    public void carry(Map<String, String> known) {
        known.forEach((type, value) -> {
            int i = IDENTIFIERS.indexOf(type);
            if (i >= 0 && identifiers[i] == null) {
                identifier(type, value);
            }
        });
    }

    /** The contact as {@code PUT /v3/marketing/contacts} takes it. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < identifiers.length; i++) {
            if (identifiers[i] != null) {
                o.put(IDENTIFIERS.get(i), identifiers[i]);
            }
        }
        for (int i = 0; fields != null && i < fields.length && fields[i] != null; i += 2) {
            o.set((String) fields[i], (JsonNode) fields[i + 1]);
        }
        if (customFields != null) {
            ObjectNode cf = o.putObject("custom_fields");
            for (int i = 0; i < customFields.length && customFields[i] != null; i += 2) {
                cf.set((String) customFields[i], (JsonNode) customFields[i + 1]);
            }
        }
        return o;
    }

    /** Sets name=value in a flat pair array, replacing an earlier value; grows the array when full. */
    private static Object[] put(Object[] pairs, String name, JsonNode value) {
        if (pairs == null) {
            pairs = new Object[4];
        }
        int i = 0;
        for (; i < pairs.length && pairs[i] != null; i += 2) {
            if (pairs[i].equals(name)) {
                pairs[i + 1] = value;
                return pairs;
            }
        }
        if (i == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[i] = name;
        pairs[i + 1] = value;
        return pairs;
    }
}
