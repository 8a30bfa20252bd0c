package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * One asynchronous contacts job, as {@code GET /v3/marketing/contacts/imports/{id}} shows it:
 * pending until it runs, then completed (no errored row), errored (some) or failed (all rows, or
 * the job could not run). Counts and errored rows are set once, when the job finishes.
 */
final class ImportJob {

    /** The job types, by the name {@code job_type} shows. */
    enum Type {
        UPSERT("upsert"), DELETE("delete"), REMOVE_FROM_LIST("remove_from_list");

        final String json;

        Type(String json) {
            this.json = json;
        }

        static Type byJson(String s) {
            for (Type t : values()) {
                if (t.json.equals(s)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** The counts of a finished job. */
    record Counts(int requested, int created, int updated, int deleted, int errored) {}

    final String id;
    final Type type;
    final long startedAt;
    private final int requested;
    private String status = "pending";
    private Counts counts;
    private long finishedAt;
    private List<JobError> errors = List.of();

    ImportJob(String id, Type type, long startedAt, int requested) {
        this.id = id;
        this.type = type;
        this.startedAt = startedAt;
        this.requested = requested;
    }

    synchronized void finish(Counts counts, List<JobError> errors, long now) {
        this.counts = counts;
        this.errors = List.copyOf(errors);
        this.finishedAt = now;
        if (counts.errored() == 0) {
            status = "completed";
        } else if (counts.errored() >= counts.requested()) {
            status = "failed";
        } else {
            status = "errored";
        }
    }

    synchronized String status() {
        return status;
    }

    synchronized List<JobError> errors() {
        return errors;
    }

    synchronized boolean finished() {
        return counts != null;
    }

    /**
     * The job in SendGrid's {@code contact-import} shape; {@code errors_url} (absolute, served by
     * the emulator under {@code baseUrl}) is there when the job has errored rows.
     */
    synchronized ObjectNode toJson(String baseUrl) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("status", status);
        o.put("job_type", type.json);
        ObjectNode r = o.putObject("results");
        r.put("requested_count", counts == null ? requested : counts.requested());
        if (counts != null) {
            switch (type) {
                case UPSERT -> {
                    r.put("created_count", counts.created());
                    r.put("updated_count", counts.updated());
                }
                case DELETE -> r.put("deleted_count", counts.deleted());
                case REMOVE_FROM_LIST -> r.put("updated_count", counts.updated());
                default -> throw new IllegalStateException();
            }
            r.put("errored_count", counts.errored());
            if (counts.errored() > 0) {
                r.put("errors_url", baseUrl + errorsPath(id));
            }
        }
        o.put("started_at", IsoTime.format(startedAt));
        if (counts != null) {
            o.put("finished_at", IsoTime.format(finishedAt));
        }
        return o;
    }

    static String errorsPath(String jobId) {
        return "/_emulator/imports/" + jobId + "/errors.csv";
    }

    // ---- state file ----

    synchronized ObjectNode toState() {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("job_type", type.json);
        o.put("status", status);
        o.put("started_at", IsoTime.format(startedAt));
        o.put("finished_at", IsoTime.format(finishedAt));
        o.put("requested_count", counts.requested());
        o.put("created_count", counts.created());
        o.put("updated_count", counts.updated());
        o.put("deleted_count", counts.deleted());
        o.put("errored_count", counts.errored());
        ArrayNode errs = o.putArray("errors");
        for (JobError e : errors) {
            ObjectNode x = errs.addObject();
            x.put("index", e.index());
            putIfSet(x, "contact_id", e.contactId());
            putIfSet(x, "email", e.email());
            putIfSet(x, "phone_number_id", e.phoneNumberId());
            putIfSet(x, "external_id", e.externalId());
            putIfSet(x, "anonymous_id", e.anonymousId());
            x.put("message", e.message());
        }
        return o;
    }

    private static void putIfSet(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    /** A finished job from the state file, or null when the element is not one. */
    static ImportJob fromState(JsonNode n) {
        Type type = Type.byJson(n.path("job_type").asText());
        String id = n.path("id").asText(null);
        if (type == null || id == null) {
            return null;
        }
        long started = IsoTime.parse(n.path("started_at").asText(null), System.currentTimeMillis());
        Counts counts = new Counts(n.path("requested_count").asInt(), n.path("created_count").asInt(),
                n.path("updated_count").asInt(), n.path("deleted_count").asInt(), n.path("errored_count").asInt());
        List<JobError> errors = new ArrayList<>();
        for (JsonNode e : n.path("errors")) {
            errors.add(new JobError(e.path("index").asInt(), e.path("contact_id").asText(null), e.path("email").asText(null),
                    e.path("phone_number_id").asText(null), e.path("external_id").asText(null),
                    e.path("anonymous_id").asText(null), e.path("message").asText("")));
        }
        ImportJob job = new ImportJob(id, type, started, counts.requested());
        job.finish(counts, errors, IsoTime.parse(n.path("finished_at").asText(null), started));
        return job;
    }
}
