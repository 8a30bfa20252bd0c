package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.contact.ContactValidation;
import io.gridsync.server.admin.AdminAuth;
import io.gridsync.server.security.CohortAccess;
import io.gridsync.server.admin.AdminError;
import io.gridsync.server.admin.AdminJson;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.StoredIntegration;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.gridsync.server.admin.AdminJson.guard;

/**
 * The audience API (docs/audiences.md), behind the admin token: audiences with their list and member
 * counts, member changes in batches (accepted durably, applied by the audience worker), and
 * scheduled cohort syncs. Which integration: {@code ?integration=ID}, or the single enabled one.
 */
public final class AudienceApi {

    /** Members per {@code PUT .../members}: one SendGrid upsert's worth. */
    static final int MAX_MEMBERS = 30_000;
    private static final ObjectMapper M = AdminJson.MAPPER;

    private final AdminAuth auth;
    private final CohortAccess access;
    private final AudienceStore store;
    private final MemberRequests requests;
    private final ScheduledSyncs syncs;
    private final AudienceRuns runs;
    private final IntegrationStore integrations;
    private final AudienceScheduler scheduler;
    private final Clock clock;

    /**
     * @param auth   the admin token check, shared with the admin API
     * @param access what a cohort source may open (the import directory, the JDBC rules)
     */
    public AudienceApi(AdminAuth auth, CohortAccess access, AudienceStore store, MemberRequests requests, ScheduledSyncs syncs,
                       AudienceRuns runs, IntegrationStore integrations, AudienceScheduler scheduler, Clock clock) {
        this.auth = auth;
        this.access = access;
        this.store = store;
        this.requests = requests;
        this.syncs = syncs;
        this.runs = runs;
        this.integrations = integrations;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    public void register(Javalin app) {
        app.before("/v1/audiences", auth::check);
        app.before("/v1/audiences/*", auth::check);
        app.get("/v1/audiences", guard(this::list));
        app.get("/v1/audiences/{key}", guard(this::get));
        app.put("/v1/audiences/{key}/members", guard(this::members));
        app.get("/v1/audiences/{key}/runs", guard(this::runs));
        app.get("/v1/audiences/{key}/syncs", guard(this::listSyncs));
        app.post("/v1/audiences/{key}/syncs", guard(this::createSync));
        app.delete("/v1/audiences/{key}/syncs/{id}", guard(this::deleteSync));
        app.post("/v1/audiences/{key}/syncs/{id}/run", guard(this::runSync));
        app.post("/v1/audiences/{key}/syncs/{id}/dry-run", guard(this::dryRun));
        app.post("/v1/audiences/{key}/dry-run", guard(this::plan));
    }

    // ---- audiences -----------------------------------------------------------------------------

    private void list(Context ctx) throws Exception {
        String integration = readScope(ctx);
        ObjectNode body = M.createObjectNode();
        body.put("integration", integration);
        ArrayNode items = body.putArray("audiences");
        for (Audience a : store.list(integration)) {
            items.add(json(a));
        }
        AdminJson.write(ctx, 200, body);
    }

    private void get(Context ctx) throws Exception {
        String integration = readScope(ctx);
        Audience a = audience(integration, key(ctx));
        ObjectNode body = json(a);
        body.set("failures", failures(integration, a.key()));
        ArrayNode s = body.putArray("syncs");
        syncs.list(integration, a.key()).forEach(x -> s.add(ScheduledSyncs.toJson(x)));
        body.set("recent_runs", runs.recent(integration, a.key(), 10));
        AdminJson.write(ctx, 200, body);
    }

    private void runs(Context ctx) throws Exception {
        String integration = readScope(ctx);
        Audience a = audience(integration, key(ctx));
        int limit = 50;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                throw AdminError.badRequest("limit must be a whole number from 1 to 1000");
            }
        }
        ObjectNode body = M.createObjectNode();
        body.set("runs", runs.recent(integration, a.key(), limit));
        AdminJson.write(ctx, 200, body);
    }

    private ObjectNode json(Audience a) {
        ObjectNode o = M.createObjectNode();
        o.put("key", a.key());
        o.put("integration", a.integrationId());
        ObjectNode list = o.putObject("list");
        list.put("name", a.listName());
        list.put("id", a.listId());
        o.put("origin", a.origin());
        AudienceCounts c = store.counts(a.integrationId(), a.key());
        ObjectNode members = o.putObject("members");
        members.put("desired", c.desired());
        members.put("in_sendgrid", c.inSendGrid());
        members.put("pending", c.pending());
        members.put("failed", c.failed());
        if (a.lastSyncAt() == null) {
            o.putNull("last_sync");
        } else {
            ObjectNode last = o.putObject("last_sync");
            last.put("at", Instant.ofEpochMilli(a.lastSyncAt()).toString());
            last.put("outcome", a.lastOutcome());
            if (a.lastSummary() != null) {
                a.lastSummary().fields().forEachRemaining(e -> last.set(e.getKey(), e.getValue()));
            }
        }
        o.put("created_at", Instant.ofEpochMilli(a.createdAt()).toString());
        o.put("updated_at", Instant.ofEpochMilli(a.updatedAt()).toString());
        return o;
    }

    private ArrayNode failures(String integration, String key) {
        ArrayNode out = M.createArrayNode();
        store.database().query(c -> {
            try (var ps = c.prepareStatement("SELECT email, desired, last_error FROM audience_members WHERE integration_id = ? "
                    + "AND audience_key = ? AND pending = 0 AND last_error IS NOT NULL AND desired <> in_list ORDER BY updated_at DESC "
                    + "LIMIT 20")) {
                ps.setString(1, integration);
                ps.setString(2, key);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.addObject().put("email", rs.getString(1)).put("wanted", rs.getInt(2) == 1 ? "in" : "out")
                                .put("reason", rs.getString(3));
                    }
                }
            }
            return null;
        });
        return out;
    }

    // ---- members -------------------------------------------------------------------------------

    private void members(Context ctx) throws Exception {
        String integration = integration(ctx);
        String key = key(ctx);
        ObjectNode body = AdminJson.readObject(ctx, false);
        AdminJson.onlyKnown(body, "", Set.of("list_name", "add", "remove"));
        String listName = AdminJson.text(body, "list_name", "");
        if (listName != null && (listName.isBlank() || listName.length() > 100)) {
            throw AdminError.badRequest("list_name is 1 to 100 characters");
        }
        var existing = store.get(integration, key);
        if (listName != null && existing.isPresent() && !existing.get().listName().equals(listName)) {
            throw new AdminError(409, "audience '" + key + "' is kept in list '" + existing.get().listName()
                    + "'; leave list_name out, or use another audience key for another list");
        }
        JsonNode add = array(body, "add");
        JsonNode remove = array(body, "remove");
        int total = add.size() + remove.size();
        if (total == 0) {
            throw AdminError.badRequest("nothing to do: send {\"add\": [{\"email\": ...}], \"remove\": [{\"email\": ...}]}");
        }
        if (total > MAX_MEMBERS) {
            throw AdminError.badRequest("at most " + MAX_MEMBERS + " members per request (got " + total + "); send them in batches");
        }
        ArrayNode rejected = M.createArrayNode();
        Map<String, MemberRequest> adds = new LinkedHashMap<>();
        Map<String, Integer> addIndex = new LinkedHashMap<>();
        for (int i = 0; i < add.size(); i++) {
            JsonNode item = add.get(i);
            String problem = null;
            String email = null;
            ObjectNode fields = M.createObjectNode();
            if (!item.isObject()) {
                problem = "an added member is an object such as {\"email\": \"ada@example.com\", \"first_name\": \"Ada\"}";
            } else {
                email = email(item.get("email"));
                problem = email == null ? emailProblem(item.get("email")) : fieldsProblem((ObjectNode) item, fields);
            }
            if (problem != null) {
                rejected.addObject().put("list", "add").put("index", i).put("email", item.path("email").asText(null)).put("reason", problem);
                continue;
            }
            MemberRequest earlier = adds.remove(email);
            if (earlier != null) {
                earlier.fields().setAll(fields); // the same person twice: merged, later fields win
                fields = earlier.fields();
            }
            adds.put(email, new MemberRequest(email, true, fields));
            addIndex.put(email, i);
        }
        Map<String, MemberRequest> removes = new LinkedHashMap<>();
        for (int i = 0; i < remove.size(); i++) {
            JsonNode item = remove.get(i);
            JsonNode e = item.isObject() ? item.get("email") : item;
            String email = email(e);
            String problem = email == null ? emailProblem(e) : null;
            if (problem == null && adds.containsKey(email)) {
                problem = "also in add (index " + addIndex.get(email) + "); a member is either added or removed in one request";
                adds.remove(email);
                rejected.addObject().put("list", "add").put("index", addIndex.get(email)).put("email", email)
                        .put("reason", "also in remove (index " + i + "); a member is either added or removed in one request");
            }
            if (problem != null) {
                rejected.addObject().put("list", "remove").put("index", i).put("email", e == null ? null : e.asText(null))
                        .put("reason", problem);
                continue;
            }
            removes.put(email, new MemberRequest(email, false, null));
        }
        List<MemberRequest> accepted = new ArrayList<>(adds.values());
        accepted.addAll(removes.values());
        ObjectNode out = M.createObjectNode();
        out.put("audience", key);
        out.put("integration", integration);
        ObjectNode counts = out.putObject("accepted");
        counts.put("add", adds.size());
        counts.put("remove", removes.size());
        ObjectNode rej = out.putObject("rejected");
        rej.put("count", rejected.size());
        ArrayNode items = rej.putArray("items");
        for (int i = 0; i < rejected.size() && i < 100; i++) {
            items.add(rejected.get(i));
        }
        if (accepted.isEmpty()) {
            out.put("error", "none of the " + total + " members was accepted; see rejected");
            AdminJson.write(ctx, 400, out);
            return;
        }
        requests.accept(integration, key, listName != null ? listName : existing.map(Audience::listName).orElse(key), accepted,
                clock.millis());
        scheduler.poke();
        AdminJson.write(ctx, 202, out);
    }

    private static JsonNode array(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return M.createArrayNode();
        }
        if (!v.isArray()) {
            throw AdminError.badRequest(field + " must be an array of members such as {\"email\": \"ada@example.com\"}");
        }
        return v;
    }

    private static String email(JsonNode v) {
        if (v == null || !v.isTextual()) {
            return null;
        }
        String e = v.asText().trim().toLowerCase(Locale.ROOT);
        return ContactValidation.isEmail(e) ? e : null;
    }

    private static String emailProblem(JsonNode v) {
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            return "the member has no email";
        }
        if (!v.isTextual()) {
            return "email must be a string";
        }
        return "'" + v.asText() + "' is not a valid email address";
    }

    /** Copies an added member's fields (everything but email) into {@code into}; a problem when one is not a plain value. */
    private static String fieldsProblem(ObjectNode item, ObjectNode into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("email") || v.isNull()) {
                continue;
            }
            if (ContactFields.OTHER_IDENTIFIERS.contains(name)) {
                return name + " cannot be set here: audience members are keyed by email";
            }
            if (name.equals("custom_fields")) {
                if (!v.isObject()) {
                    return "custom_fields must be an object of custom field name -> value";
                }
                for (Iterator<Map.Entry<String, JsonNode>> c = v.fields(); c.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = c.next();
                    if (!f.getValue().isValueNode()) {
                        return "custom_fields." + f.getKey() + " must be a string, number or boolean";
                    }
                }
            } else if (!v.isValueNode()) {
                return name + " must be a string, number or boolean";
            }
            into.set(name, v);
        }
        return null;
    }

    // ---- scheduled syncs -----------------------------------------------------------------------

    private void listSyncs(Context ctx) throws Exception {
        String integration = readScope(ctx);
        String key = key(ctx);
        ObjectNode body = M.createObjectNode();
        ArrayNode items = body.putArray("syncs");
        syncs.list(integration, key).forEach(s -> items.add(ScheduledSyncs.toJson(s)));
        AdminJson.write(ctx, 200, body);
    }

    private void createSync(Context ctx) throws Exception {
        String integration = integration(ctx);
        String key = key(ctx);
        SyncBody b = SyncBody.parse(AdminJson.readObject(ctx, false), access, true);
        ScheduledSync s = syncs.create(integration, key, b.source(), b.listName(), b.map(), b.reconcile(), b.schedule(), clock.millis());
        scheduler.poke();
        AdminJson.write(ctx, 201, ScheduledSyncs.toJson(s));
    }

    /** The plan a sync of this body would carry out now (nothing is saved, sent or recorded). */
    private void plan(Context ctx) throws Exception {
        String integration = integration(ctx);
        String key = key(ctx);
        SyncBody b = SyncBody.parse(AdminJson.readObject(ctx, false), access, false);
        planned(ctx, new ScheduledSync(null, integration, key, b.source(), b.listName(), b.map(), b.reconcile(), "once", true,
                null, null, null, clock.millis()));
    }

    private void planned(Context ctx, ScheduledSync s) throws Exception {
        ObjectNode report = scheduler.dryRun(s);
        AdminJson.write(ctx, report.has("error") ? 422 : 200, report);
    }

    private void deleteSync(Context ctx) throws Exception {
        String integration = integration(ctx);
        String key = key(ctx);
        String id = ctx.pathParam("id");
        if (!syncs.delete(integration, key, id)) {
            throw AdminError.notFound("audience '" + key + "' has no scheduled sync " + id + "; GET /v1/audiences/" + key + "/syncs lists them");
        }
        AdminJson.write(ctx, 200, M.createObjectNode().put("id", id).put("deleted", true));
    }

    private void runSync(Context ctx) throws Exception {
        String integration = integration(ctx);
        String key = key(ctx);
        String id = ctx.pathParam("id");
        if (!syncs.runNow(integration, key, id, clock.millis())) {
            throw AdminError.notFound("audience '" + key + "' has no scheduled sync " + id + "; GET /v1/audiences/" + key + "/syncs lists them");
        }
        scheduler.poke();
        AdminJson.write(ctx, 202, ScheduledSyncs.toJson(syncs.get(id).orElseThrow()));
    }

    /** The plan a run of a scheduled sync would carry out now, without carrying it out. */
    private void dryRun(Context ctx) throws Exception {
        String integration = integration(ctx);
        String key = key(ctx);
        String id = ctx.pathParam("id");
        planned(ctx, syncs.get(id).filter(x -> x.integrationId().equals(integration) && x.audienceKey().equals(key))
                .orElseThrow(() -> AdminError.notFound("audience '" + key + "' has no scheduled sync " + id + "; GET /v1/audiences/"
                        + key + "/syncs lists them")));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** {@code ?integration=ID}, else the single enabled integration. */
    /** Audiences synced by {@code ./gridsync audience sync} against SENDGRID_API_KEY's account, not an integration's. */
    public static final String CLI_SCOPE = "cli";

    /**
     * The scope to read: {@link #integration}, or {@code cli} for the audiences the command line
     * synced without an integration (readable here; changed only from the command line).
     */
    private String readScope(Context ctx) {
        String id = ctx.queryParam("integration");
        if (id != null && id.trim().equals(CLI_SCOPE) && integrations.get(CLI_SCOPE).isEmpty()) {
            return CLI_SCOPE;
        }
        return integration(ctx);
    }

    private String integration(Context ctx) {
        String id = ctx.queryParam("integration");
        if (id != null && !id.isBlank()) {
            return integrations.get(id.trim()).map(StoredIntegration::id).orElseThrow(() -> AdminError.notFound(
                    "no integration " + id + "; GET /v1/admin/integrations lists them" + (id.trim().equals(CLI_SCOPE)
                            ? " (audiences of the command line can be read here, and changed with ./gridsync audience sync)" : "")));
        }
        List<StoredIntegration> enabled = integrations.list().stream().filter(StoredIntegration::enabled).toList();
        if (enabled.size() == 1) {
            return enabled.get(0).id();
        }
        if (enabled.isEmpty()) {
            throw new AdminError(409, "no integration is enabled: install one (POST /v1/admin/integration-catalog/sendgrid/install) "
                    + "or name one with ?integration=ID");
        }
        throw AdminError.badRequest(enabled.size() + " integrations are enabled (" + String.join(", ",
                enabled.stream().map(StoredIntegration::id).toList()) + "); say which with ?integration=ID");
    }

    private static String key(Context ctx) {
        String key = ctx.pathParam("key").trim();
        if (key.isEmpty() || key.length() > 255) {
            throw AdminError.badRequest("an audience key is 1 to 255 characters");
        }
        return key;
    }

    private Audience audience(String integration, String key) {
        return store.get(integration, key).orElseThrow(() -> AdminError.notFound("no audience '" + key + "' in integration "
                + integration + "; GET /v1/audiences lists them"));
    }
}
