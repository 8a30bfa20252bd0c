package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.fields.FieldDefinition;
import io.gridsync.emulator.fields.FieldStore;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.lists.ListStore;
import io.gridsync.emulator.state.Ids;
import io.gridsync.emulator.state.Persistable;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The contacts jobs: upserts, deletions and list removals are accepted at once (202 and a job id)
 * and applied after the configured import delay, row by row, each row either applied or recorded
 * as an errored row with its reason. Finished jobs are kept (the newest {@link #MAX_JOBS}) so
 * their status and errors file stay available.
 */
public final class ImportJobs implements Persistable {

    static final int MAX_JOBS = 10_000;

    private final ContactStore store;
    private final ListStore lists;
    private final FieldStore fields;
    private final JobRunner runner;
    private final LongSupplier delayMillis;
    private final Map<String, ImportJob> jobs = new LinkedHashMap<>();

    public ImportJobs(ContactStore store, ListStore lists, FieldStore fields, JobRunner runner, LongSupplier delayMillis) {
        this.store = store;
        this.lists = lists;
        this.fields = fields;
        this.runner = runner;
        this.delayMillis = delayMillis;
    }

    public synchronized Optional<ImportJob> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Queues a validated upsert; returns the job id. */
    String submitUpsert(UpsertRequestParser.Parsed request) {
        ImportJob job = add(ImportJob.Type.UPSERT, request.contacts().size());
        schedule(job, () -> runUpsert(job, request));
        return job.id;
    }

    /** Queues the deletion of these contacts, or of every contact when {@code ids} is null. */
    String submitDelete(List<String> ids) {
        ImportJob job = add(ImportJob.Type.DELETE, ids == null ? store.size() : ids.size());
        schedule(job, () -> runDelete(job, ids));
        return job.id;
    }

    /** Queues the removal of these contacts from a list (the contacts are kept). */
    String submitListRemoval(String listId, List<String> contactIds) {
        ImportJob job = add(ImportJob.Type.REMOVE_FROM_LIST, contactIds.size());
        schedule(job, () -> runListRemoval(job, listId, contactIds));
        return job.id;
    }

    private synchronized ImportJob add(ImportJob.Type type, int requested) {
        ImportJob job = new ImportJob(Ids.uuid(), type, System.currentTimeMillis(), requested);
        jobs.put(job.id, job);
        if (jobs.size() > MAX_JOBS) {
            for (Iterator<ImportJob> it = jobs.values().iterator(); it.hasNext() && jobs.size() > MAX_JOBS; ) {
                if (it.next().finished()) {
                    it.remove();
                }
            }
        }
        return job;
    }

    /** Runs the work unless the account was reset in the meantime (the job is then gone). */
    private void schedule(ImportJob job, Runnable work) {
        runner.schedule(() -> {
            synchronized (this) {
                if (jobs.get(job.id) != job) {
                    return;
                }
            }
            work.run();
        }, delayMillis.getAsLong());
    }

    private void runUpsert(ImportJob job, UpsertRequestParser.Parsed request) {
        long now = System.currentTimeMillis();
        List<String> liveLists = request.listIds().stream().filter(lists::exists).toList();
        List<JobError> errors = new ArrayList<>();
        int created = 0;
        int updated = 0;
        for (ContactUpsert row : request.contacts()) {
            try {
                ContactStore.Outcome outcome = store.upsert(row, customValues(row), liveLists, now);
                if (outcome == ContactStore.Outcome.CREATED) {
                    created++;
                } else {
                    updated++;
                }
            } catch (RowError e) {
                errors.add(JobError.forRow(row, e.getMessage()));
            }
        }
        job.finish(new ImportJob.Counts(request.contacts().size(), created, updated, 0, errors.size()), errors,
                System.currentTimeMillis());
    }

    /** The row's custom field values type-checked against the field definitions as they are now. */
    private Object[] customValues(ContactUpsert row) throws RowError {
        if (row.customFields == null) {
            return null;
        }
        Object[] out = new Object[2 * row.customFields.size()];
        int k = 0;
        for (Map.Entry<String, JsonNode> e : row.customFields.entrySet()) {
            FieldDefinition def = fields.byId(e.getKey()).orElse(null);
            if (def == null) {
                throw new RowError("custom field " + e.getKey() + " was deleted before the import ran");
            }
            out[k++] = def.id();
            out[k++] = CustomFieldValues.normalize(def, e.getValue());
        }
        return out;
    }

    private void runDelete(ImportJob job, List<String> ids) {
        if (ids == null) {
            int n = store.deleteAll();
            job.finish(new ImportJob.Counts(n, 0, 0, n, 0), List.of(), System.currentTimeMillis());
            return;
        }
        List<JobError> errors = new ArrayList<>();
        int deleted = 0;
        for (int i = 0; i < ids.size(); i++) {
            if (store.delete(ids.get(i))) {
                deleted++;
            } else {
                errors.add(JobError.forId(i, ids.get(i), "contact " + ids.get(i) + " not found"));
            }
        }
        job.finish(new ImportJob.Counts(ids.size(), 0, 0, deleted, errors.size()), errors, System.currentTimeMillis());
    }

    private void runListRemoval(ImportJob job, String listId, List<String> ids) {
        List<JobError> errors = new ArrayList<>();
        int removed = 0;
        boolean listExists = lists.exists(listId);
        long now = System.currentTimeMillis();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (!listExists) {
                errors.add(JobError.forId(i, id, "list " + listId + " was deleted before the removal ran"));
            } else if (store.get(id) == null) {
                errors.add(JobError.forId(i, id, "contact " + id + " not found"));
            } else if (store.removeFromList(id, listId, now)) {
                removed++;
            }
        }
        job.finish(new ImportJob.Counts(ids.size(), 0, removed, 0, errors.size()), errors, System.currentTimeMillis());
    }

    // ---- Persistable ----

    @Override
    public String stateKey() {
        return "contact_imports";
    }

    /** Finished jobs with their errored rows; jobs still pending are applied at shutdown before this runs. */
    @Override
    public synchronized JsonNode saveState() {
        ArrayNode out = Json.array();
        for (ImportJob job : jobs.values()) {
            if (job.finished()) {
                out.add(job.toState());
            }
        }
        ObjectNode o = Json.object();
        o.set("jobs", out);
        return o;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        jobs.clear();
        for (JsonNode n : node.path("jobs")) {
            ImportJob job = ImportJob.fromState(n);
            if (job != null) {
                jobs.put(job.id, job);
            }
        }
    }

    @Override
    public synchronized void clearState() {
        jobs.clear();
    }
}
