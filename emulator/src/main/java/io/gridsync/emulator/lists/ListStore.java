package io.gridsync.emulator.lists;

import io.gridsync.emulator.state.Ids;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The account's lists (at most 1000), in creation order. */
public final class ListStore {

    public static final int MAX_LISTS = 1000;

    private final Map<String, ContactList> byId = new LinkedHashMap<>();

    public synchronized boolean exists(String id) {
        return byId.containsKey(id);
    }

    public synchronized Optional<ContactList> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized List<ContactList> all() {
        return List.copyOf(byId.values());
    }

    /** Adds a list with a fresh id; name and cap rules are the API's to check first. */
    public synchronized ContactList create(String name) {
        ContactList l = new ContactList(Ids.uuid(), name);
        byId.put(l.id(), l);
        return l;
    }

    public synchronized int size() {
        return byId.size();
    }
}
