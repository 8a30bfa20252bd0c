package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.jobs.DeadLetter;
import io.gridsync.server.jobs.DeliveryLog;
import io.gridsync.server.jobs.JobQueue;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Admin routes over delivery: live events (recent messages with each integration's attempts),
 * dead letters, their replay, and discarding them (retention then removes them with their message). Authentication is the admin API's, applied to all of /v1/admin.
 */
public final class DeliveryAdminApi {

    private static final ObjectMapper M = new ObjectMapper();

    private final JobQueue jobs;
    private final DeliveryLog log;
    private final Runnable onReplay;
    private final Clock clock;

    private final java.util.function.Predicate<String> integrationExists;

    /** @param integrationExists whether an integration id names an installed integration (replay and discard say 404 otherwise) */
    public DeliveryAdminApi(JobQueue jobs, DeliveryLog log, Runnable onReplay, Clock clock,
                            java.util.function.Predicate<String> integrationExists) {
        this.integrationExists = integrationExists;
        this.jobs = jobs;
        this.log = log;
        this.onReplay = onReplay;
        this.clock = clock;
    }

    public void register(Javalin app) {
        app.get("/v1/admin/events", AdminJson.guard(ctx -> {
            int limit = AdminJson.intParam(ctx, "limit", 50, 1, 1000);
            long before = longParam(ctx, "before");
            EventFilter filter = EventFilter.of(ctx);
            ArrayNode events = M.createArrayNode();
            int pageSize = filter.any() ? 200 : limit;
            int scanned = 0;
            boolean exhausted = false;
            // filters read the messages page by page, up to a bound, so a rare match does not read the whole journal
            pages:
            while (scanned < EventFilter.MAX_SCANNED) {
                ArrayNode page = log.recent(pageSize, before);
                for (JsonNode m : page) {
                    before = m.get("seq").asLong();
                    scanned++;
                    EventFilter.addOutcome((ObjectNode) m);
                    if (filter.test(m)) {
                        events.add(m);
                        if (events.size() == limit) {
                            break pages;
                        }
                    }
                }
                if (page.size() < pageSize) {
                    exhausted = true;
                    break;
                }
            }
            long next = exhausted ? 0 : before;
            ObjectNode body = M.createObjectNode();
            body.set("events", events);
            if (next > 0) {
                body.put("next_before", next);
            } else {
                body.putNull("next_before");
            }
            AdminJson.write(ctx, 200, body);
        }));
        app.get("/v1/admin/events/{seq}", AdminJson.guard(ctx -> {
            long seq;
            try {
                seq = Long.parseLong(ctx.pathParam("seq"));
            } catch (NumberFormatException e) {
                throw AdminError.badRequest("an event is named by its seq number (from GET /v1/admin/events); got '" + ctx.pathParam("seq") + "'");
            }
            ObjectNode m = log.one(seq);
            if (m == null) {
                throw AdminError.notFound("no message with seq " + seq + " (retention may have removed it); GET /v1/admin/events lists them");
            }
            EventFilter.addOutcome(m);
            AdminJson.write(ctx, 200, m);
        }));
        app.get("/v1/admin/dead-letters", AdminJson.guard(ctx -> {
            int limit = AdminJson.intParam(ctx, "limit", 100, 1, 1000);
            int offset = AdminJson.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            String integration = ctx.queryParam("integration");
            ArrayNode items = M.createArrayNode();
            for (DeadLetter d : jobs.deadLetters(integration, limit, offset)) {
                items.add(json(d));
            }
            ObjectNode body = M.createObjectNode();
            body.put("count", jobs.count("dead", integration));
            body.set("dead_letters", items);
            AdminJson.write(ctx, 200, body);
        }));
        app.post("/v1/admin/dead-letters/replay", AdminJson.guard(ctx -> {
            Selection s = selection(ctx, "replay");
            int replayed = jobs.replay(s.integration(), s.jobIds(), clock.millis());
            onReplay.run();
            ObjectNode body = M.createObjectNode();
            body.put("replayed", replayed);
            AdminJson.write(ctx, 200, body);
        }));
        app.post("/v1/admin/dead-letters/discard", AdminJson.guard(ctx -> {
            Selection s = selection(ctx, "discard");
            ObjectNode body = M.createObjectNode();
            body.put("discarded", jobs.discard(s.integration(), s.jobIds(), clock.millis()));
            AdminJson.write(ctx, 200, body);
        }));
    }

    /** A dead letter as the admin API shows everything: snake_case keys, ISO-8601 times. */
    private static ObjectNode json(DeadLetter d) {
        ObjectNode o = M.createObjectNode();
        o.put("job_id", d.jobId());
        o.put("integration", d.integrationId());
        o.put("subscription", d.subscription());
        o.put("action", d.action());
        o.put("message_seq", d.messageSeq());
        o.put("message_id", d.messageId());
        o.put("attempts", d.attempts());
        if (d.lastStatus() == null) {
            o.putNull("last_status");
        } else {
            o.put("last_status", d.lastStatus());
        }
        o.put("reason", d.reason());
        o.put("created_at", java.time.Instant.ofEpochMilli(d.createdAt()).toString());
        o.put("updated_at", java.time.Instant.ofEpochMilli(d.updatedAt()).toString());
        return o;
    }

    /** Which dead letters: an integration, and job ids or null for all of its dead letters. */
    private record Selection(String integration, List<Long> jobIds) {}

    /** The request's selection; a JSON error with what to change when it is not one. */
    private Selection selection(Context ctx, String verb) throws Exception {
        ObjectNode req = AdminJson.readObject(ctx, true);
        AdminJson.onlyKnown(req, "", java.util.Set.of("integration", "job_ids"));
        String integration = req.path("integration").asText(null);
        if (integration == null || integration.isBlank()) {
            throw AdminError.badRequest("say which integration's dead letters to " + verb + ": {\"integration\": \"<id>\", "
                    + "\"job_ids\": [...]} (omit job_ids to " + verb + " all of them)");
        }
        // a deleted integration's dead letters can still be discarded: only a name nothing knows is refused
        if (!integrationExists.test(integration) && jobs.count("dead", integration) == 0) {
            throw AdminError.notFound("no integration " + integration + "; GET /v1/admin/integrations lists them");
        }
        List<Long> ids = null;
        if (req.has("job_ids")) {
            if (!req.get("job_ids").isArray()) {
                throw AdminError.badRequest("job_ids must be an array of job ids from GET /v1/admin/dead-letters");
            }
            ids = new ArrayList<>();
            for (JsonNode id : req.get("job_ids")) {
                if (!id.canConvertToLong()) {
                    throw AdminError.badRequest("job_ids must hold numbers; got " + id);
                }
                ids.add(id.asLong());
            }
        }
        return new Selection(integration, ids);
    }

    private static long longParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw AdminError.badRequest(name + " must be a message seq number (from a previous page's events); got '" + v + "'");
        }
    }
}
