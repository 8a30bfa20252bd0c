package io.gridsync.emulator.contacts.exports;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.emulator.contacts.Contact;
import io.gridsync.emulator.contacts.ContactStore;
import io.gridsync.emulator.contacts.JobRunner;
import io.gridsync.emulator.fields.FieldStore;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.lists.ContactList;
import io.gridsync.emulator.lists.ListStore;
import io.gridsync.emulator.state.Ids;
import io.gridsync.emulator.state.Persistable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The account's contact exports. An export runs after the import delay: it selects the contacts
 * (all of them, or the members of the given lists) and becomes ready; its files are produced
 * when downloaded. Exports are not written to the state file: like SendGrid's download links
 * they are short-lived, and a restarted emulator starts with none.
 */
public final class ContactExports implements Persistable {

    private final ContactStore store;
    private final ListStore lists;
    private final FieldStore fields;
    private final JobRunner runner;
    private final LongSupplier delayMillis;
    private final IntSupplier rowsPerFile;
    private final Map<String, ContactExport> exports = new LinkedHashMap<>();

    public ContactExports(ContactStore store, ListStore lists, FieldStore fields, JobRunner runner,
                          LongSupplier delayMillis, IntSupplier rowsPerFile) {
        this.store = store;
        this.lists = lists;
        this.fields = fields;
        this.runner = runner;
        this.delayMillis = delayMillis;
        this.rowsPerFile = rowsPerFile;
    }

    ContactExport submit(ContactExport.FileType type, List<ContactList> selectedLists, List<String> segmentIds, int maxFileSizeMb) {
        ContactExport export = new ContactExport(Ids.uuid(), System.currentTimeMillis(), type, selectedLists, segmentIds, maxFileSizeMb);
        synchronized (this) {
            exports.put(export.id, export);
        }
        runner.schedule(() -> run(export), delayMillis.getAsLong());
        return export;
    }

    private void run(ContactExport export) {
        synchronized (this) {
            if (exports.get(export.id) != export) {
                return; // the account was reset meanwhile
            }
        }
        long now = System.currentTimeMillis();
        List<String> gone = export.lists.stream().map(ContactList::id).filter(id -> !lists.exists(id)).toList();
        if (!gone.isEmpty()) {
            export.fail("list " + String.join(", ", gone) + " was deleted before the export ran", now);
            return;
        }
        Set<String> listIds = export.lists.stream().map(ContactList::id).collect(Collectors.toSet());
        Predicate<Contact> selected = listIds.isEmpty() ? c -> true : c -> listIds.stream().anyMatch(c::inList);
        export.ready(store.snapshot(selected), fields.all(), rowsPerFile.getAsInt(), now);
    }

    synchronized Optional<ContactExport> get(String id) {
        return Optional.ofNullable(exports.get(id));
    }

    synchronized List<ContactExport> all() {
        return new ArrayList<>(exports.values());
    }

    // ---- Persistable: only so a reset clears the exports; they are not saved ----

    @Override
    public String stateKey() {
        return "contact_exports";
    }

    @Override
    public JsonNode saveState() {
        return Json.object();
    }

    @Override
    public void loadState(JsonNode node) {
        clearState();
    }

    @Override
    public synchronized void clearState() {
        exports.clear();
    }
}
