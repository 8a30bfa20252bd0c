package io.gridsync.core.lists;

import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridException;
import io.gridsync.core.sendgrid.SendGridList;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds lists by exact name across all pages, creates them when missing, and remembers the ids,
 * so that an audience maps to the same list on every sync.
 */
public final class ListDirectory {

    private final SendGridApi api;
    private final int pageSize;
    private final Map<String, String> idsByName = new ConcurrentHashMap<>();
    private final Exclusive exclusive;

    /**
     * Runs a list's look-up-then-create alone among every process that delivers to the account (the
     * hubs of a cluster): SendGrid allows two lists of one name, so two creates at once would make two.
     */
    @FunctionalInterface
    public interface Exclusive {
        String run(String name, java.util.function.Supplier<String> lookUpOrCreate);

        /** One process: its own lock is enough. */
        Exclusive PROCESS = (name, work) -> work.get();
    }

    public ListDirectory(SendGridApi api) {
        this(api, 1000);
    }

    /** @param pageSize lists per page when looking a name up (SendGrid allows up to 1000) */
    public ListDirectory(SendGridApi api, int pageSize) {
        this(api, pageSize, Exclusive.PROCESS);
    }

    public ListDirectory(SendGridApi api, Exclusive exclusive) {
        this(api, 1000, exclusive);
    }

    private ListDirectory(SendGridApi api, int pageSize, Exclusive exclusive) {
        this.api = api;
        this.pageSize = pageSize;
        this.exclusive = exclusive;
    }

    /** Seeds a known name -> id (from the server's store), so no lookup is needed. */
    public void remember(String name, String id) {
        idsByName.put(name, id);
    }

    /** The id this directory already knows for the name, without asking SendGrid. */
    public Optional<String> cached(String name) {
        return Optional.ofNullable(idsByName.get(name));
    }

    /** The id of the list with exactly this name, looked up across all pages. */
    public Optional<String> find(String name) {
        String known = idsByName.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        for (SendGridList l : api.allLists(pageSize)) {
            idsByName.putIfAbsent(l.name(), l.id());
        }
        return Optional.ofNullable(idsByName.get(name));
    }

    /**
     * The list's id, creating it when no list has this name. A create whose answer was lost is
     * followed by a fresh lookup rather than a second create, so no duplicate list appears.
     */
    public synchronized String findOrCreate(String name) {
        Optional<String> id = find(name);
        if (id.isPresent()) {
            return id.get();
        }
        if (exclusive == Exclusive.PROCESS) {
            return create(name);
        }
        return exclusive.run(name, () -> {
            // another process may have created it while this one waited: look again, past the cache
            idsByName.remove(name);
            return find(name).orElseGet(() -> create(name));
        });
    }

    private String create(String name) {
        try {
            SendGridList created = api.createList(name);
            idsByName.put(name, created.id());
            return created.id();
        } catch (SendGridException e) {
            if (e.status() == 0) {
                idsByName.remove(name);
                Optional<String> after = find(name);
                if (after.isPresent()) {
                    return after.get();
                }
            }
            throw e;
        }
    }

    public void forget(String name) {
        idsByName.remove(name);
    }
}
