package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.contacts.exports.ContactExports;
import io.gridsync.emulator.contacts.exports.ExportsApi;
import io.gridsync.emulator.fields.FieldStore;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Errors;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.lists.ListStore;
import io.gridsync.emulator.state.Persistable;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The marketing contacts endpoints: upsert (async, with import status and an errors file),
 * search by emails and by identifiers, get by id and in batches, count, sample, delete (async),
 * removal from a list (async), and exports. Owns the contact store and the job thread.
 */
public final class ContactsApi implements AutoCloseable {

    /** SendGrid accepts at most 6 MB of JSON per upsert request. */
    static final int MAX_UPSERT_BYTES = 6 * 1024 * 1024;
    static final int MAX_SEARCH = 100;
    static final int SAMPLE_SIZE = 50;

    private final ListStore lists;
    private final FieldStore fields;
    private final ContactStore store = new ContactStore();
    private final JobRunner runner = new JobRunner();
    private final ImportJobs jobs;
    private final ContactExports exports;
    /** List id -> segments made of its members: the segment_ids of exported contacts (the segments are wired in later). */
    private volatile java.util.function.Supplier<java.util.Map<String, List<String>>> segmentsByList = java.util.Map::of;

    public ContactsApi(EmulatorConfig config, ListStore lists, FieldStore fields) {
        this.lists = lists;
        this.fields = fields;
        this.jobs = new ImportJobs(store, lists, fields, runner, () -> config.importDelayMillis);
        this.exports = new ContactExports(store, lists, fields, runner, () -> config.importDelayMillis,
                () -> config.exportRowsPerFile);
    }

    /** The contact store; it is also what the lists API asks about list members. */
    public ContactStore store() {
        return store;
    }

    /** Where exports learn each contact's segments: list id -> the segments made of that list's members. */
    public void segmentsByList(java.util.function.Supplier<java.util.Map<String, List<String>>> bySegmentList) {
        this.segmentsByList = bySegmentList;
    }

    /** What to register with the emulator's state: contacts, finished jobs, exports (reset only). */
    public List<Persistable> stateParts() {
        return List.of(store, jobs, exports);
    }

    public void register(ApiRouter router, Javalin app) {
        router.put("/v3/marketing/contacts", "marketing.write", stringFields(this::upsert));
        router.delete("/v3/marketing/contacts", "marketing.write", this::delete);
        router.get("/v3/marketing/contacts", "marketing.read", this::sample);
        router.get("/v3/marketing/contacts/count", "marketing.read", ctx -> {
            ObjectNode body = Json.object();
            int n = store.size();
            body.put("contact_count", n);
            body.put("billable_count", n);
            Json.write(ctx, 200, body);
        });
        router.get("/v3/marketing/contacts/imports/{id}", "marketing.read", ctx -> {
            ImportJob job = jobs.get(ctx.pathParam("id"))
                    .orElseThrow(() -> ApiError.notFound("import job " + ctx.pathParam("id") + " not found"));
            Json.write(ctx, 200, job.toJson(BaseUrl.of(ctx)));
        });
        router.post("/v3/marketing/contacts/search/emails", "marketing.read", this::searchEmails);
        router.post("/v3/marketing/contacts/search/identifiers/{identifier_type}", "marketing.read",
                flatErrors(this::searchIdentifiers));
        router.post("/v3/marketing/contacts/batch", "marketing.read", this::batch);
        new ExportsApi(exports, lists, () -> segmentsByList.get()).register(router, app);
        // after every literal /contacts/... route, so "count" or "exports" is never taken for an id
        router.get("/v3/marketing/contacts/{id}", "marketing.read", ctx -> {
            Contact c = store.get(ctx.pathParam("id"));
            if (c == null) {
                throw ApiError.notFound("contact " + ctx.pathParam("id") + " not found");
            }
            Json.write(ctx, 200, ContactJson.render(c, fields, BaseUrl.of(ctx)));
        });
        router.delete("/v3/marketing/lists/{id}/contacts", "marketing.write", flatErrors(this::removeFromList));
        app.get("/_emulator/imports/{id}/errors.csv", ctx -> {
            ImportJob job = jobs.get(ctx.pathParam("id")).orElse(null);
            if (job == null) {
                Errors.write(ctx, ApiError.notFound("import job " + ctx.pathParam("id") + " not found"));
                return;
            }
            ctx.status(200);
            ctx.contentType("text/csv; charset=utf-8");
            ctx.result(ErrorsFile.render(job.errors()));
        });
    }

    // ---- upsert ----

    private void upsert(Context ctx) {
        // read the body even when too large: answering before the client finished sending resets its connection
        int size = ctx.bodyAsBytes().length;
        if (size > MAX_UPSERT_BYTES) {
            throw ApiError.badRequest("", String.format(Locale.ROOT, "request body is %,d bytes; PUT /v3/marketing/contacts "
                    + "accepts at most 6 MB (%,d bytes): split the contacts into smaller requests", size, MAX_UPSERT_BYTES));
        }
        UpsertRequestParser.Parsed request = UpsertRequestParser.parse(Json.bodyObject(ctx), lists, fields);
        String jobId = jobs.submitUpsert(request);
        Json.write(ctx, 202, Json.object().put("job_id", jobId));
    }

    // ---- delete ----

    private void delete(Context ctx) {
        String ids = ctx.queryParam("ids");
        String all = ctx.queryParam("delete_all_contacts");
        if (ids != null && all != null) {
            throw ApiError.badRequest("ids", "set either ids or delete_all_contacts, not both");
        }
        if (all != null) {
            if (!all.equals("true")) {
                throw ApiError.badRequest("delete_all_contacts", "delete_all_contacts must be \"true\" to delete all contacts");
            }
            respondWithJob(ctx, jobs.submitDelete(null));
            return;
        }
        if (ids == null) {
            throw ApiError.badRequest("ids", "set ids (a comma-separated list of contact ids) or delete_all_contacts=true");
        }
        List<String> list = splitIds(ids);
        if (list.isEmpty()) {
            throw ApiError.badRequest("ids", "ids is empty; set it to a comma-separated list of contact ids");
        }
        respondWithJob(ctx, jobs.submitDelete(list));
    }

    /** SendGrid's documented use of this job id is as a path segment, so it is a string (see docs/emulator/contacts.md). */
    private static void respondWithJob(Context ctx, String jobId) {
        Json.write(ctx, 202, Json.object().put("job_id", jobId));
    }

    private static List<String> splitIds(String csv) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return new ArrayList<>(out);
    }

    // ---- list membership removal ----

    private void removeFromList(Context ctx) {
        String listId = ctx.pathParam("id");
        if (!lists.exists(listId)) {
            throw ApiError.notFound("list " + listId + " not found");
        }
        String param = ctx.queryParam("contact_ids");
        List<String> ids = param == null ? List.of() : splitIds(param);
        if (ids.isEmpty()) {
            throw ApiError.badRequest("contact_ids", "contact_ids is required: a comma-separated list of the contact ids to remove from the list");
        }
        List<String> unknown = ids.stream().filter(id -> store.get(id) == null).toList();
        if (!unknown.isEmpty()) {
            throw ApiError.notFound("contact ids not found: " + String.join(",", unknown.subList(0, Math.min(10, unknown.size())))
                    + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : ""));
        }
        respondWithJob(ctx, jobs.submitListRemoval(listId, ids));
    }

    // ---- reads ----

    private void sample(Context ctx) {
        String base = BaseUrl.of(ctx);
        ObjectNode body = Json.object();
        ArrayNode result = body.putArray("result");
        for (Contact c : store.recent(SAMPLE_SIZE)) {
            result.add(ContactJson.render(c, fields, base));
        }
        body.put("contact_count", store.size());
        body.putObject("_metadata").put("self", base + "/v3/marketing/contacts");
        Json.write(ctx, 200, body);
    }

    private void searchEmails(Context ctx) {
        ObjectNode body = Json.bodyObject(ctx);
        List<String> emails = requireStrings(body, "emails", "an array of up to 100 email addresses");
        ApiError.Collector errors = new ApiError.Collector();
        Set<String> wanted = new LinkedHashSet<>();
        for (int i = 0; i < emails.size(); i++) {
            String e = emails.get(i);
            if (e.isEmpty()) {
                continue; // SendGrid excludes empty strings from the search
            }
            if (!IdentifierSyntax.isEmail(e)) {
                errors.add("emails[" + i + "]", "invalid email address \"" + e + "\"");
            } else {
                wanted.add(e.toLowerCase(Locale.ROOT));
            }
        }
        errors.throwIfAny(400);
        if (wanted.isEmpty()) {
            throw ApiError.badRequest("emails", "emails has no address to search for");
        }
        Map<String, Contact> found = new LinkedHashMap<>();
        for (String e : wanted) {
            found.put(e, store.findByAnyEmail(e));
        }
        writeSearchResult(ctx, found);
    }

    private void searchIdentifiers(Context ctx) {
        String type = ctx.pathParam("identifier_type");
        ContactField field = ContactField.identifierByName(type);
        if (field == null) {
            throw ApiError.badRequest("identifier_type", "unknown identifier type " + type
                    + "; use email, phone_number_id, external_id or anonymous_id");
        }
        ObjectNode body = Json.bodyObject(ctx);
        List<String> values = requireStrings(body, "identifiers", "an array of up to 100 " + type + " values");
        Map<String, Contact> found = new LinkedHashMap<>();
        for (String v : values) {
            if (v.isEmpty()) {
                continue;
            }
            if (field == ContactField.EMAIL) {
                if (!IdentifierSyntax.isEmail(v)) {
                    throw ApiError.badRequest("identifiers", "invalid email address \"" + v + "\"");
                }
                v = v.toLowerCase(Locale.ROOT);
            }
            found.put(v, store.findBy(field, v));
        }
        if (found.isEmpty()) {
            throw ApiError.badRequest("identifiers", "identifiers has no value to search for");
        }
        writeSearchResult(ctx, found);
    }

    /** 200 with a result per searched value (contact or "contact not found"), or 404 when none matched. */
    private void writeSearchResult(Context ctx, Map<String, Contact> found) {
        if (found.values().stream().allMatch(c -> c == null)) {
            throw ApiError.notFound("no contacts found");
        }
        String base = BaseUrl.of(ctx);
        ObjectNode body = Json.object();
        ObjectNode result = body.putObject("result");
        found.forEach((key, c) -> {
            ObjectNode entry = result.putObject(key);
            if (c == null) {
                entry.put("error", "contact not found");
            } else {
                entry.set("contact", ContactJson.render(c, fields, base));
            }
        });
        Json.write(ctx, 200, body);
    }

    private void batch(Context ctx) {
        List<String> ids = requireStrings(Json.bodyObject(ctx), "ids", "an array of up to 100 contact ids");
        String base = BaseUrl.of(ctx);
        ObjectNode body = Json.object();
        ArrayNode result = body.putArray("result");
        Set<String> seen = new LinkedHashSet<>();
        for (String id : ids) {
            Contact c = seen.add(id) ? store.get(id) : null;
            if (c != null) {
                result.add(ContactJson.render(c, fields, base));
            }
        }
        if (result.isEmpty()) {
            throw ApiError.notFound("no contacts found for the given ids");
        }
        Json.write(ctx, 200, body);
    }

    /** A required array of at most {@link #MAX_SEARCH} strings. */
    private static List<String> requireStrings(ObjectNode body, String name, String what) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            throw ApiError.badRequest(name, name + " is required: " + what);
        }
        if (!v.isArray()) {
            throw ApiError.badRequest(name, name + " must be " + what);
        }
        if (v.size() > MAX_SEARCH) {
            throw ApiError.badRequest(name, name + " has " + v.size() + " values; at most 100 per request");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw ApiError.badRequest(name + "[" + i + "]", name + "[" + i + "] must be a string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    // ---- error shapes ----

    /**
     * For endpoints whose 400 schema (SendGrid's {@code ContactsError}) types {@code field} as a
     * string: body-level errors get {@code ""} instead of null.
     */
    private static Handler stringFields(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (ApiError e) {
                throw new ApiError(e.status(), e.errors().stream()
                        .map(fe -> new ApiError.FieldError(fe.field() == null ? "" : fe.field(), fe.message())).toList());
            }
        };
    }

    /**
     * For the endpoints whose error schema is a single flat {@code {"message": ...}} object
     * (search by identifiers, list removal): the body carries both that {@code message} and the
     * usual {@code errors} array, so clients reading either shape find the reason.
     */
    private static Handler flatErrors(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (ApiError e) {
                ObjectNode body = Json.object();
                body.put("message", e.errors().isEmpty() ? "HTTP " + e.status() : e.errors().get(0).message());
                ArrayNode errors = body.putArray("errors");
                for (ApiError.FieldError fe : e.errors()) {
                    ObjectNode o = errors.addObject();
                    if (fe.field() == null) {
                        o.putNull("field");
                    } else {
                        o.put("field", fe.field());
                    }
                    o.put("message", fe.message());
                }
                Json.write(ctx, e.status(), body);
            }
        };
    }

    /** Applies the jobs still waiting, so nothing accepted is lost when the state is saved next. */
    @Override
    public void close() {
        runner.close();
    }
}
