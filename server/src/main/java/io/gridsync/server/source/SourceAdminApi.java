package io.gridsync.server.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.admin.AdminError;
import io.gridsync.server.admin.AdminJson;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SendGrid source resource, under {@code /v1/admin} (the admin API's bearer-token check covers
 * it; register both on one app): one resource per SendGrid account with its API key (masked), its
 * warehouse schema, its Event Webhook (verification key, forwarding: capture's webhook source named
 * as the schema), its schedule and collections, a run now, and the record of runs. A source is an
 * integration (mirrored and captured), or a webhook source alone (captured only).
 * <pre>
 * GET   /v1/admin/sources                      every source, its settings, last run, next run
 * GET   /v1/admin/sources/{source}             by name, integration id, or schema
 * PUT   /v1/admin/sources/{source}             creates a capture-only source (its events at /v1/webhooks/sendgrid/{source});
 *                                              optional body {"webhook_public_key": ..., "forwarding": ...}
 * PATCH /v1/admin/sources/{source}             {"interval": "1h" | "off" | null, "schema": ..., "enabled": ...,
 *                                              "collections": {"stats": false, "bounces": true | null},
 *                                              "api_key": "SG...", "webhook_public_key": "MFkw..." | null,
 *                                              "forwarding": {"url": ..., "format": ..., "key": ...} | null}
 * POST  /v1/admin/sources/{source}/sync        202 {"run_id", ...}: runs now, in the background
 * GET   /v1/admin/sources/{source}/runs        newest first (?limit=, default 20)
 * GET   /v1/admin/sources/{source}/runs/{id}
 * </pre>
 */
public final class SourceAdminApi {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Set<String> SETTINGS = Set.of("interval", "schema", "enabled", "collections", "api_key",
            "webhook_public_key", "forwarding");
    private static final Set<String> WEBHOOK_SETTINGS = Set.of("webhook_public_key", "forwarding");

    private final SourceDirectory sources;
    private final SourceRuns runs;
    private final SourceSettingsStore settings;
    private final SyncScheduler scheduler;
    private volatile SourceWebhooks webhooks = SourceWebhooks.NONE;

    public SourceAdminApi(SourceDirectory sources, SourceRuns runs, SourceSettingsStore settings, SyncScheduler scheduler) {
        this.sources = sources;
        this.runs = runs;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    void attach(SourceWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    public void register(Javalin app) {
        app.get("/v1/admin/sources", AdminJson.guard(this::list));
        app.get("/v1/admin/sources/{source}", AdminJson.guard(this::get));
        app.put("/v1/admin/sources/{source}", AdminJson.guard(this::create));
        app.patch("/v1/admin/sources/{source}", AdminJson.guard(this::patch));
        app.post("/v1/admin/sources/{source}/sync", AdminJson.guard(this::sync));
        app.get("/v1/admin/sources/{source}/runs", AdminJson.guard(this::listRuns));
        app.get("/v1/admin/sources/{source}/runs/{id}", AdminJson.guard(this::getRun));
    }

    private void list(Context ctx) throws Exception {
        ObjectNode body = SourceJson.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("sources");
        java.util.Set<String> schemas = new java.util.HashSet<>();
        for (Source s : sources.all()) {
            items.add(render(s));
            schemas.add(s.schema());
        }
        for (String name : webhooks.names()) {
            if (!schemas.contains(name)) {
                items.add(renderCaptureOnly(name));
            }
        }
        AdminJson.write(ctx, 200, body);
    }

    private void get(Context ctx) throws Exception {
        java.util.Optional<Source> s = resolve(ctx.pathParam("source"));
        AdminJson.write(ctx, 200, s.isPresent() ? render(s.get()) : renderCaptureOnly(captureOnly(ctx)));
    }

    /**
     * PUT: a source that only captures the webhook's events, with the webhook settings of the body
     * if one is sent ({@code webhook_public_key}, {@code forwarding}); an existing source gets them too.
     */
    private void create(Context ctx) throws Exception {
        String name = ctx.pathParam("source");
        ObjectNode body = ctx.body().isBlank() ? SourceJson.MAPPER.createObjectNode() : readObject(ctx);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!WEBHOOK_SETTINGS.contains(f)) {
                throw new IllegalArgumentException("unknown field " + f + "; PUT takes " + new java.util.TreeSet<>(WEBHOOK_SETTINGS)
                        + " (change the other settings with PATCH)");
            }
        }
        java.util.Optional<Source> s = resolve(name);
        String schema = s.map(Source::schema).orElse(name);
        boolean existed = s.isPresent() || webhooks.names().contains(name);
        if (body.isEmpty()) {
            webhooks.create(schema);
        } else {
            webhooks.apply(schema, body); // checks the settings before it creates the webhook source
        }
        AdminJson.write(ctx, existed ? 200 : 201, s.isPresent() ? render(s.get()) : renderCaptureOnly(name));
    }

    private void patch(Context ctx) throws Exception {
        ObjectNode body = readObject(ctx);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!SETTINGS.contains(f)) {
                throw new IllegalArgumentException("unknown field " + f + "; a source's settings are " + new java.util.TreeSet<>(SETTINGS));
            }
        }
        java.util.Optional<Source> found = resolve(ctx.pathParam("source"));
        if (found.isEmpty()) {
            String name = captureOnly(ctx);
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!WEBHOOK_SETTINGS.contains(f)) {
                    throw new IllegalArgumentException("source '" + name + "' only captures webhook events, so " + f + " does not apply; "
                            + "install an integration with its API key to mirror the account");
                }
            }
            webhooks.apply(name, body);
            AdminJson.write(ctx, 200, renderCaptureOnly(name));
            return;
        }
        Source s = found.get();
        SourceSettings now = settings.get(s.name());
        Duration interval = now.interval();
        String schema = now.schema();
        Boolean enabled = now.enabled();
        if (body.has("interval")) {
            JsonNode v = body.get("interval");
            if (!v.isNull() && !v.isTextual()) {
                throw new IllegalArgumentException("interval must be a string such as \"3h\", \"45m\" or \"off\", or null for the default");
            }
            interval = v.isNull() ? null : Intervals.parse(v.asText());
        }
        if (body.has("schema")) {
            JsonNode v = body.get("schema");
            if (!v.isNull() && !(v.isTextual() && SCHEMA.matcher(v.asText()).matches())) {
                throw new IllegalArgumentException("schema must be 1 to 63 lower-case letters, digits or underscores, not starting "
                        + "with a digit (or null for the default, " + SourceSettings.defaultSchema(s.name()) + ")");
            }
            schema = v.isNull() ? null : v.asText();
            String effective = schema == null ? SourceSettings.defaultSchema(s.name()) : schema;
            for (Source other : sources.all()) {
                if (!other.name().equals(s.name()) && other.schema().equals(effective)) {
                    throw new AdminError(409, "schema " + effective + " is source '" + other.name() + "''s; each source needs its own "
                            + "schema, or the two would mark each other's objects deleted");
                }
            }
        }
        if (body.has("enabled")) {
            JsonNode v = body.get("enabled");
            if (!v.isNull() && !v.isBoolean()) {
                throw new IllegalArgumentException("enabled must be true or false (or null for the default, true)");
            }
            enabled = v.isNull() ? null : v.asBoolean();
        }
        java.util.Map<String, Boolean> collections = new java.util.TreeMap<>(now.collections());
        if (body.has("collections")) {
            JsonNode v = body.get("collections");
            if (!v.isObject()) {
                throw new IllegalArgumentException("collections must be an object of collection name to true (on), false (off) "
                        + "or null (the default, on), e.g. {\"stats\": false}");
            }
            for (Iterator<java.util.Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                java.util.Map.Entry<String, JsonNode> e = it.next();
                if (SourceSync.collection(e.getKey()).isEmpty()) {
                    throw new IllegalArgumentException("unknown collection " + e.getKey() + "; the collections are "
                            + String.join(", ", SourceSync.tables()));
                }
                if (e.getValue().isNull()) {
                    collections.remove(e.getKey());
                } else if (e.getValue().isBoolean()) {
                    collections.put(e.getKey(), e.getValue().asBoolean());
                } else {
                    throw new IllegalArgumentException("collections." + e.getKey() + " must be true, false or null");
                }
            }
        }
        if (body.has("api_key")) {
            JsonNode v = body.get("api_key");
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new IllegalArgumentException("api_key must be the SendGrid API key (it starts with SG.)");
            }
        }
        settings.put(new SourceSettings(s.name(), schema, interval, enabled, collections));
        Source updated = sources.find(s.name()).orElseThrow();
        if (body.has("webhook_public_key") || body.has("forwarding")) {
            webhooks.apply(updated.schema(), body); // the webhook of the schema the source writes now
        }
        if (body.has("api_key")) {
            sources.setApiKey(updated, body.get("api_key").asText());
        }
        AdminJson.write(ctx, 200, render(sources.find(s.name()).orElseThrow()));
    }

    private void sync(Context ctx) throws Exception {
        Source s = find(ctx);
        BegunRun begun = scheduler.trigger(s.name(), "admin");
        String run = "/v1/admin/sources/" + encode(s.name()) + "/runs/" + begun.run().id();
        ObjectNode body = SourceJson.MAPPER.createObjectNode();
        if (begun.existing()) {
            // queued or running here or on another node of the cluster: one run of a source at a time
            body.put("error", "source '" + s.name() + "' is syncing already (run " + begun.run().id() + ", "
                    + begun.run().status().wire() + "); follow it at " + run + ", and ask again once it has finished");
        }
        body.put("run_id", begun.run().id());
        body.put("status", begun.run().status().wire());
        body.put("already_running", begun.existing());
        body.put("run", run);
        ctx.header("Location", run);
        AdminJson.write(ctx, begun.existing() ? 409 : 202, body);
    }

    private void listRuns(Context ctx) throws Exception {
        Source s = find(ctx);
        int limit = 20;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 500) {
                throw new IllegalArgumentException("limit must be a number from 1 to 500, not '" + l + "'");
            }
        }
        ObjectNode body = SourceJson.MAPPER.createObjectNode();
        body.put("source", s.name());
        ArrayNode items = body.putArray("runs");
        runs.list(s.name(), limit).forEach(r -> items.add(SourceJson.run(r)));
        AdminJson.write(ctx, 200, body);
    }

    private void getRun(Context ctx) throws Exception {
        Source s = find(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NoSuchElementException("no run " + ctx.pathParam("id") + " of source '" + s.name() + "' (run ids are numbers)");
        }
        SourceRun run = runs.get(id).filter(r -> r.source().equals(s.name()))
                .orElseThrow(() -> new NoSuchElementException("no run " + id + " of source '" + s.name() + "'"));
        AdminJson.write(ctx, 200, SourceJson.run(run));
    }

    private ObjectNode render(Source s) {
        ObjectNode o = SourceJson.source(s, runs.last(s.name()), scheduler.nextRunAt(s));
        o.put("mirrored", true);
        if (s.apiKey() != null) {
            o.put("api_key", s.apiKey().masked());
        } else {
            o.putNull("api_key");
        }
        webhook(o, s.schema());
        return o;
    }

    /** A webhook source of its own: events captured into schema {@code name}, nothing mirrored. */
    private ObjectNode renderCaptureOnly(String name) {
        ObjectNode o = SourceJson.MAPPER.createObjectNode();
        o.put("name", name);
        o.put("schema", name);
        o.put("mirrored", false);
        o.putNull("api_key");
        o.putNull("endpoint");
        webhook(o, name);
        return o;
    }

    private void webhook(ObjectNode into, String schema) {
        java.util.Optional<ObjectNode> w = webhooks.view(schema);
        if (w.isPresent()) {
            into.setAll(w.get());
        } else {
            into.putNull("webhook");
            into.putNull("forwarding");
        }
    }

    /** By name or integration id; else the source writing schema {@code name} (its webhook source's name). */
    private java.util.Optional<Source> resolve(String name) {
        return sources.find(name).or(() -> sources.all().stream().filter(s -> s.schema().equals(name)).findFirst());
    }

    private String captureOnly(Context ctx) {
        String name = ctx.pathParam("source");
        if (webhooks.names().contains(name)) {
            return name;
        }
        throw notFound(name);
    }

    /** A mirrored source (an integration), for runs. */
    private Source find(Context ctx) {
        String name = ctx.pathParam("source");
        return resolve(name).orElseThrow(() -> webhooks.names().contains(name)
                ? new NoSuchElementException("source '" + name + "' only captures webhook events: it has no API key to sync with; "
                + "install an integration for the account with POST /v1/admin/integration-catalog/sendgrid/install")
                : notFound(name));
    }

    private NoSuchElementException notFound(String name) {
        return new NoSuchElementException("no source named '" + name + "'; the sources are the hub's integrations ("
                + String.join(", ", sources.all().stream().map(Source::name).toList()) + ") and webhook sources ("
                + String.join(", ", webhooks.names()) + "); install one with POST /v1/admin/integration-catalog/sendgrid/install");
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ObjectNode readObject(Context ctx) {
        String body = ctx.body();
        if (body.isBlank()) {
            throw new IllegalArgumentException("the request needs a JSON object body, e.g. {\"interval\": \"1h\"}");
        }
        JsonNode node;
        try {
            node = SourceJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object, e.g. {\"interval\": \"1h\"}");
        }
        return (ObjectNode) node;
    }
}
