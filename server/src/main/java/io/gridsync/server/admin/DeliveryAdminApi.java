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

    public DeliveryAdminApi(JobQueue jobs, DeliveryLog log, Runnable onReplay, Clock clock) {
        this.jobs = jobs;
        this.log = log;
        this.onReplay = onReplay;
        this.clock = clock;
    }

    public void register(Javalin app) {
        app.get("/v1/admin/events", ctx -> {
            int limit = intParam(ctx, "limit", 50, 1, 1000);
            long before = longParam(ctx, "before");
            ObjectNode body = M.createObjectNode();
            body.set("events", log.recent(limit, before));
            ctx.json(body);
        });
        app.get("/v1/admin/dead-letters", ctx -> {
            int limit = intParam(ctx, "limit", 100, 1, 1000);
            int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            String integration = ctx.queryParam("integration");
            ArrayNode items = M.createArrayNode();
            for (DeadLetter d : jobs.deadLetters(integration, limit, offset)) {
                items.add(M.valueToTree(d));
            }
            ObjectNode body = M.createObjectNode();
            body.put("count", jobs.count("dead", integration));
            body.set("dead_letters", items);
            ctx.json(body);
        });
        app.post("/v1/admin/dead-letters/replay", ctx -> {
            Selection s = selection(ctx, "replay");
            if (s == null) {
                return;
            }
            int replayed = jobs.replay(s.integration(), s.jobIds(), clock.millis());
            onReplay.run();
            ObjectNode body = M.createObjectNode();
            body.put("replayed", replayed);
            ctx.json(body);
        });
        app.post("/v1/admin/dead-letters/discard", ctx -> {
            Selection s = selection(ctx, "discard");
            if (s == null) {
                return;
            }
            ObjectNode body = M.createObjectNode();
            body.put("discarded", jobs.discard(s.integration(), s.jobIds(), clock.millis()));
            ctx.json(body);
        });
    }

    /** Which dead letters: an integration, and job ids or null for all of its dead letters. */
    private record Selection(String integration, List<Long> jobIds) {}

    /** The request's selection, or null after answering 400 with what to change. */
    private static Selection selection(Context ctx, String verb) throws java.io.IOException {
        JsonNode req = ctx.body().isBlank() ? M.createObjectNode() : M.readTree(ctx.body());
        String integration = req.path("integration").asText(null);
        if (integration == null || integration.isBlank()) {
            error(ctx, 400, "say which integration's dead letters to " + verb + ": {\"integration\": \"<id>\", \"job_ids\": [...]} "
                    + "(omit job_ids to " + verb + " all of them)");
            return null;
        }
        List<Long> ids = null;
        if (req.has("job_ids")) {
            if (!req.get("job_ids").isArray()) {
                error(ctx, 400, "job_ids must be an array of job ids from GET /v1/admin/dead-letters");
                return null;
            }
            ids = new ArrayList<>();
            for (JsonNode id : req.get("job_ids")) {
                if (!id.canConvertToLong()) {
                    error(ctx, 400, "job_ids must hold numbers; got " + id);
                    return null;
                }
                ids.add(id.asLong());
            }
        }
        return new Selection(integration, ids);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new io.javalin.http.BadRequestResponse(name + " must be a whole number between " + min + " and " + max);
        }
    }

    private static long longParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new io.javalin.http.BadRequestResponse(name + " must be a message seq number");
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(M.createObjectNode().put("error", message));
    }
}
