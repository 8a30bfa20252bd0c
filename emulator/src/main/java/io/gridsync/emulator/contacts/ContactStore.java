package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.gridsync.emulator.lists.ListMembers;
import io.gridsync.emulator.state.Ids;
import io.gridsync.emulator.state.Persistable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * The account's marketing contacts, with an index per identifier (email, phone_number_id,
 * external_id, anonymous_id) and one for alternate emails, and a member count per list.
 * Every method holds the store's lock briefly; contacts themselves are immutable, so what a
 * reader got stays consistent after the lock is released.
 */
public final class ContactStore implements ListMembers, Persistable {

    /** What an applied upsert row did. */
    public enum Outcome { CREATED, UPDATED }

    /** A list id (the one shared instance) and how many contacts are in the list. */
    private static final class ListCount {
        final String id;
        long count;

        ListCount(String id) {
            this.id = id;
        }
    }

    private final Map<String, Contact> byId = new HashMap<>();
    @SuppressWarnings("unchecked")
    private final Map<String, String>[] byIdentifier = new Map[ContactField.IDENTIFIERS.length];
    private final Map<String, String> byAlternateEmail = new HashMap<>();
    private final Map<String, ListCount> lists = new HashMap<>();

    public ContactStore() {
        for (int i = 0; i < byIdentifier.length; i++) {
            byIdentifier[i] = new HashMap<>();
        }
    }

    private Map<String, String> index(ContactField identifier) {
        return byIdentifier[identifier.ordinal()];
    }

    public synchronized int size() {
        return byId.size();
    }

    public synchronized Contact get(String id) {
        return byId.get(id);
    }

    /** The contact holding this identifier value (emails lower case), or null. */
    public synchronized Contact findBy(ContactField identifier, String value) {
        String id = index(identifier).get(value);
        return id == null ? null : byId.get(id);
    }

    /** The contact whose email or one of whose alternate emails is {@code email} (lower case), or null. */
    public synchronized Contact findByAnyEmail(String email) {
        String id = index(ContactField.EMAIL).get(email);
        if (id == null) {
            id = byAlternateEmail.get(email);
        }
        return id == null ? null : byId.get(id);
    }

    /**
     * Applies one upsert row: matches an existing contact by any of the row's identifiers,
     * requires the row to carry every identifier that contact already has, and merges the row
     * into it (omitted fields keep their values, lists are only added); or creates a contact.
     *
     * @param customValues {@code [fieldId, value, ...]} already type-checked; a value of
     *                     {@link CustomFieldValues#CLEAR} removes the field
     * @param listIds      lists to add the contact to (ids of existing lists)
     */
    public synchronized Outcome upsert(ContactUpsert row, Object[] customValues, Collection<String> listIds, long now) throws RowError {
        String matchId = null;
        ContactField matchField = null;
        for (ContactField f : ContactField.IDENTIFIERS) {
            String v = row.get(f);
            String id = v == null ? null : index(f).get(v);
            if (id == null) {
                continue;
            }
            if (matchId != null && !matchId.equals(id)) {
                throw new RowError(matchField.json + " " + row.get(matchField) + " belongs to contact " + matchId + " but "
                        + f.json + " " + v + " belongs to contact " + id + "; one row cannot join two contacts");
            }
            matchId = id;
            matchField = f;
        }
        checkEmailsAreFree(row, matchId);
        if (matchId == null) {
            create(row, customValues, listIds, now);
            return Outcome.CREATED;
        }
        Contact old = byId.get(matchId);
        for (ContactField f : ContactField.IDENTIFIERS) {
            String have = old.get(f);
            if (have == null) {
                continue;
            }
            String given = row.get(f);
            if (given == null) {
                throw new RowError("contact " + old.id + " already has " + identifiersOf(old) + "; an update must include all of"
                        + " the contact's identifiers, and this row has no " + f.json);
            }
            if (!given.equals(have)) {
                throw new RowError("contact " + old.id + " has " + f.json + " " + have + " but this row sends " + given
                        + "; an upsert cannot change an identifier the contact already has");
            }
        }
        update(old, row, customValues, listIds, now);
        return Outcome.UPDATED;
    }

    /** An email of the row that another contact holds (as primary or alternate) is an error. */
    private void checkEmailsAreFree(ContactUpsert row, String matchId) throws RowError {
        String email = row.get(ContactField.EMAIL);
        if (email != null) {
            String owner = byAlternateEmail.get(email);
            if (owner != null && !owner.equals(matchId)) {
                throw new RowError("email " + email + " is an alternate email of contact " + owner + "; an email address belongs to one contact");
            }
        }
        if (row.alternateEmails != null) {
            for (String a : row.alternateEmails) {
                String owner = index(ContactField.EMAIL).get(a);
                if (owner == null) {
                    owner = byAlternateEmail.get(a);
                }
                if (owner != null && !owner.equals(matchId)) {
                    throw new RowError("alternate email " + a + " already belongs to contact " + owner + "; an email address belongs to one contact");
                }
            }
        }
    }

    private static String identifiersOf(Contact c) {
        List<String> parts = new ArrayList<>();
        for (ContactField f : ContactField.IDENTIFIERS) {
            if (c.get(f) != null) {
                parts.add(f.json + " " + c.get(f));
            }
        }
        return String.join(", ", parts);
    }

    private void create(ContactUpsert row, Object[] customValues, Collection<String> listIds, long now) {
        String[] values = new String[ContactField.ALL.length];
        applyValues(values, row);
        Object[] custom = mergeCustom(null, customValues);
        String[] listArray = mergeLists(null, listIds);
        String[] alternates = row.alternateEmails == null ? null : row.alternateEmails.clone();
        Contact c = new Contact(Ids.uuid(), now, now, values, alternates, listArray, custom);
        put(null, c);
    }

    private void update(Contact old, ContactUpsert row, Object[] customValues, Collection<String> listIds, long now) {
        String[] values = old.values.clone();
        applyValues(values, row);
        String[] alternates = row.alternateEmails == null ? old.alternateEmails : row.alternateEmails.clone();
        Contact c = new Contact(old.id, old.createdAt, Math.max(now, old.updatedAt), values, alternates,
                mergeLists(old.listIds, listIds), mergeCustom(old.customFields, customValues));
        put(old, c);
    }

    private static void applyValues(String[] values, ContactUpsert row) {
        for (ContactField f : ContactField.ALL) {
            String v = row.values[f.ordinal()];
            if (v != null) {
                // "" clears a reserved field; identifiers are never "" here (the parser drops empty ones)
                values[f.ordinal()] = v.isEmpty() ? null : v;
            }
        }
    }

    private static Object[] mergeCustom(Object[] old, Object[] changes) {
        if (changes == null || changes.length == 0) {
            return old;
        }
        List<Object> out = new ArrayList<>(old == null ? List.of() : Arrays.asList(old));
        for (int i = 0; i < changes.length; i += 2) {
            String fieldId = (String) changes[i];
            Object value = changes[i + 1];
            int at = -1;
            for (int j = 0; j < out.size(); j += 2) {
                if (out.get(j).equals(fieldId)) {
                    at = j;
                    break;
                }
            }
            if (value == CustomFieldValues.CLEAR) {
                if (at >= 0) {
                    out.remove(at + 1);
                    out.remove(at);
                }
            } else if (at >= 0) {
                out.set(at + 1, value);
            } else {
                out.add(fieldId);
                out.add(value);
            }
        }
        return out.isEmpty() ? null : out.toArray();
    }

    private String[] mergeLists(String[] old, Collection<String> add) {
        if (add == null || add.isEmpty()) {
            return old;
        }
        List<String> out = new ArrayList<>(old == null ? List.of() : Arrays.asList(old));
        for (String l : add) {
            if (!out.contains(l)) {
                out.add(canonicalList(l));
            }
        }
        return out.toArray(new String[0]);
    }

    private String canonicalList(String listId) {
        return lists.computeIfAbsent(listId, ListCount::new).id;
    }

    /** Swaps {@code next} in for {@code old} (null when new), keeping every index and list count right. */
    private void put(Contact old, Contact next) {
        byId.put(next.id, next);
        for (ContactField f : ContactField.IDENTIFIERS) {
            String before = old == null ? null : old.get(f);
            String after = next.get(f);
            if (before != null && !before.equals(after)) {
                index(f).remove(before);
            }
            if (after != null) {
                index(f).put(after, next.id);
            }
        }
        if (old == null || old.alternateEmails != next.alternateEmails) {
            if (old != null && old.alternateEmails != null) {
                for (String a : old.alternateEmails) {
                    byAlternateEmail.remove(a);
                }
            }
            if (next.alternateEmails != null) {
                for (String a : next.alternateEmails) {
                    byAlternateEmail.put(a, next.id);
                }
            }
        }
        if (old == null || old.listIds != next.listIds) {
            countLists(old == null ? null : old.listIds, -1);
            countLists(next.listIds, +1);
        }
    }

    private void countLists(String[] listIds, int delta) {
        if (listIds == null) {
            return;
        }
        for (String l : listIds) {
            ListCount c = lists.computeIfAbsent(l, ListCount::new);
            c.count += delta;
        }
    }

    private void remove(Contact c) {
        byId.remove(c.id);
        for (ContactField f : ContactField.IDENTIFIERS) {
            if (c.get(f) != null) {
                index(f).remove(c.get(f));
            }
        }
        if (c.alternateEmails != null) {
            for (String a : c.alternateEmails) {
                byAlternateEmail.remove(a);
            }
        }
        countLists(c.listIds, -1);
    }

    /** Deletes a contact; false when there is none with this id. */
    public synchronized boolean delete(String id) {
        Contact c = byId.get(id);
        if (c == null) {
            return false;
        }
        remove(c);
        return true;
    }

    /** Deletes every contact; returns how many there were. */
    public synchronized int deleteAll() {
        int n = byId.size();
        byId.clear();
        for (Map<String, String> m : byIdentifier) {
            m.clear();
        }
        byAlternateEmail.clear();
        lists.values().forEach(c -> c.count = 0);
        return n;
    }

    /** Removes the contact from the list, keeping the contact; false when it was not in the list. */
    public synchronized boolean removeFromList(String contactId, String listId, long now) {
        Contact c = byId.get(contactId);
        if (c == null || !c.inList(listId)) {
            return false;
        }
        put(c, withoutList(c, listId, Math.max(now, c.updatedAt)));
        return true;
    }

    private static Contact withoutList(Contact c, String listId, long updatedAt) {
        String[] rest = Arrays.stream(c.listIds).filter(l -> !l.equals(listId)).toArray(String[]::new);
        return new Contact(c.id, c.createdAt, updatedAt, c.values, c.alternateEmails, rest, c.customFields);
    }

    /** Up to {@code n} of the most recently created or updated contacts, sorted by email as SendGrid's sample is. */
    public synchronized List<Contact> recent(int n) {
        PriorityQueue<Contact> newest = new PriorityQueue<>(n + 1, (a, b) -> Long.compare(a.updatedAt, b.updatedAt));
        for (Contact c : byId.values()) {
            newest.add(c);
            if (newest.size() > n) {
                newest.poll();
            }
        }
        List<Contact> out = new ArrayList<>(newest);
        out.sort((a, b) -> {
            String ea = a.email() == null ? "" : a.email();
            String eb = b.email() == null ? "" : b.email();
            int cmp = ea.compareTo(eb);
            return cmp != 0 ? cmp : a.id.compareTo(b.id);
        });
        return out;
    }

    /** The contacts matching {@code filter} at this moment, for an export to stream without holding the lock. */
    public synchronized Contact[] snapshot(Predicate<Contact> filter) {
        return byId.values().stream().filter(filter).toArray(Contact[]::new);
    }

    // ---- ListMembers ----

    @Override
    public synchronized long countInList(String listId) {
        ListCount c = lists.get(listId);
        return c == null ? 0 : c.count;
    }

    @Override
    public synchronized void listDeleted(String listId, boolean deleteContacts) {
        List<Contact> members = new ArrayList<>();
        for (Contact c : byId.values()) {
            if (c.inList(listId)) {
                members.add(c);
            }
        }
        for (Contact c : members) {
            if (deleteContacts) {
                remove(c);
            } else {
                put(c, withoutList(c, listId, c.updatedAt));
            }
        }
        lists.remove(listId);
    }

    // ---- Persistable ----

    @Override
    public String stateKey() {
        return "contacts";
    }

    /**
     * Streams the contacts straight into the state file instead of building a tree of a
     * million nodes: the returned node serializes a snapshot taken now.
     */
    @Override
    public JsonNode saveState() {
        Contact[] all = snapshot(c -> true);
        return new POJONode(new JsonSerializable.Base() {
            @Override
            public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeStartObject();
                gen.writeArrayFieldStart("columns");
                for (String column : ContactState.COLUMNS) {
                    gen.writeString(column);
                }
                gen.writeEndArray();
                gen.writeArrayFieldStart("rows");
                for (Contact c : all) {
                    ContactState.write(gen, c);
                }
                gen.writeEndArray();
                gen.writeEndObject();
            }

            @Override
            public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer) throws IOException {
                serialize(gen, serializers);
            }
        });
    }

    /**
     * Loads contacts written by {@link #saveState()}. Each element of the array is released as
     * soon as it is read, so the parsed file and the store do not both peak in memory.
     */
    @Override
    public synchronized void loadState(JsonNode node) {
        clearState();
        JsonNode array = node.path("rows");
        if (!array.isArray() || !node.path("columns").isArray()) {
            return;
        }
        ArrayNode rows = (ArrayNode) array;
        int[] columns = ContactState.columnMap(node.get("columns"));
        Map<String, String> fieldIds = new HashMap<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < rows.size(); i++) {
            Contact c = ContactState.read(rows.get(i), columns, fieldIds, this::canonicalList, now);
            rows.set(i, NullNode.getInstance());
            if (c != null && !byId.containsKey(c.id)) {
                put(null, c);
            }
        }
    }

    @Override
    public synchronized void clearState() {
        byId.clear();
        for (Map<String, String> m : byIdentifier) {
            m.clear();
        }
        byAlternateEmail.clear();
        lists.clear();
    }
}
