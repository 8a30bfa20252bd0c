package io.gridsync.emulator.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.paging.Page;
import io.gridsync.emulator.paging.PageRequest;
import io.gridsync.emulator.state.Ids;
import io.gridsync.emulator.state.Persistable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The account's lists (at most 1000), in creation order. Names are 1..100 characters and unique
 * regardless of case; {@link #add} and {@link #rename} enforce both rules and the cap atomically.
 */
public final class ListStore implements Persistable {

    public static final int MAX_LISTS = 1000;
    public static final int MAX_NAME_LENGTH = 100;

    /** A list and its creation sequence number, which page tokens refer to. */
    private record Entry(long seq, ContactList list) {}

    private final Map<String, Entry> byId = new LinkedHashMap<>();
    private long nextSeq = 1;

    public synchronized boolean exists(String id) {
        return byId.containsKey(id);
    }

    public synchronized Optional<ContactList> byId(String id) {
        Entry e = byId.get(id);
        return e == null ? Optional.empty() : Optional.of(e.list());
    }

    public synchronized List<ContactList> all() {
        return byId.values().stream().map(Entry::list).toList();
    }

    /** Adds a list with a fresh id and no checks (seeding and tests); the API uses {@link #add}. */
    public synchronized ContactList create(String name) {
        ContactList l = new ContactList(Ids.uuid(), name);
        byId.put(l.id(), new Entry(nextSeq++, l));
        return l;
    }

    /** Adds a list after checking its name and the 1000-list cap; a broken rule is a 400. */
    public synchronized ContactList add(String name) {
        checkName(name, null);
        if (byId.size() >= MAX_LISTS) {
            throw ApiError.badRequest("name", "the account already has " + MAX_LISTS
                    + " lists, the most SendGrid allows; delete a list before creating another");
        }
        return create(name);
    }

    /** Renames a list; empty when there is no such list. */
    public synchronized Optional<ContactList> rename(String id, String name) {
        Entry e = byId.get(id);
        if (e == null) {
            return Optional.empty();
        }
        checkName(name, id);
        ContactList renamed = new ContactList(id, name);
        byId.put(id, new Entry(e.seq(), renamed));
        return Optional.of(renamed);
    }

    /** Removes a list; false when there was no such list. */
    public synchronized boolean delete(String id) {
        return byId.remove(id) != null;
    }

    public synchronized Page<ContactList> page(PageRequest request) {
        List<Entry> ordered = new ArrayList<>(byId.values());
        Page<Entry> p = Page.of(ordered, Entry::seq, request);
        return new Page<>(p.items().stream().map(Entry::list).toList(), p.nextSeq(), p.prevSeq(), p.count(), request);
    }

    public synchronized int size() {
        return byId.size();
    }

    private void checkName(String name, String exceptId) {
        if (name == null || name.isEmpty()) {
            throw ApiError.badRequest("name", "name is required: 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiError.badRequest("name", "name is " + name.length() + " characters long; a list name has at most "
                    + MAX_NAME_LENGTH);
        }
        for (Entry e : byId.values()) {
            if (!e.list().id().equals(exceptId) && e.list().name().equalsIgnoreCase(name)) {
                throw ApiError.badRequest("name", "a list named '" + e.list().name() + "' already exists (id "
                        + e.list().id() + "); list names are unique regardless of case");
            }
        }
    }

    @Override
    public String stateKey() {
        return "lists";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode root = Json.object();
        root.put("next_seq", nextSeq);
        ArrayNode lists = root.putArray("lists");
        for (Entry e : byId.values()) {
            lists.addObject().put("id", e.list().id()).put("name", e.list().name()).put("seq", e.seq());
        }
        return root;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        byId.clear();
        for (JsonNode l : node.path("lists")) {
            byId.put(l.get("id").asText(), new Entry(l.get("seq").asLong(), new ContactList(l.get("id").asText(), l.get("name").asText())));
        }
        nextSeq = Math.max(node.path("next_seq").asLong(1),
                byId.values().stream().mapToLong(Entry::seq).max().orElse(0) + 1);
    }

    @Override
    public synchronized void clearState() {
        byId.clear();
        nextSeq = 1;
    }
}
