package io.gridsync.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.admin.AdminJson;
import io.gridsync.server.forward.ForwardFormat;
import io.gridsync.server.forward.Forwarding;
import io.gridsync.server.security.OutboundEndpoints;
import io.gridsync.server.forward.Outbox;
import io.gridsync.server.forward.OutboxStats;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Admin routes of webhook sources (docs/capture.md), under {@code /v1/admin}, so the admin API's
 * bearer-token check (registered by AdminApi on {@code /v1/admin/*}) guards them:
 * list and create sources, set or remove a source's verification key and its forwarding. The
 * forwarding key is never answered, only its last four characters.
 */
public final class WebhookSourcesApi {

    private static final ObjectMapper M = AdminJson.MAPPER;

    private final WebhookSources sources;
    private final Outbox outbox;
    private final CaptureWriter writer;
    /** Where forwarding may send events and their key (the hub sets GRIDSYNC_ALLOWED_ENDPOINTS'). */
    private volatile OutboundEndpoints endpoints = OutboundEndpoints.NONE;

    WebhookSourcesApi(WebhookSources sources, Outbox outbox, CaptureWriter writer) {
        this.sources = sources;
        this.outbox = outbox;
        this.writer = writer;
    }

    public void register(Javalin app) {
        app.get("/v1/admin/webhook-sources", AdminJson.guard(ctx -> {
            ArrayNode list = M.createArrayNode();
            sources.list().forEach(s -> list.add(view(s)));
            AdminJson.write(ctx, 200, M.createObjectNode().set("sources", list));
        }));
        app.get("/v1/admin/webhook-sources/{source}", AdminJson.guard(ctx -> AdminJson.write(ctx, 200, view(existing(ctx)))));
        app.put("/v1/admin/webhook-sources/{source}", AdminJson.guard(ctx -> {
            String name = WebhookSources.checkName(ctx.pathParam("source"));
            boolean existed = sources.find(name).isPresent();
            WebhookSource s = sources.create(name);
            writer.prepare(s.schema());
            AdminJson.write(ctx, existed ? 200 : 201, view(s));
        }));
        app.put("/v1/admin/webhook-sources/{source}/webhook-key", AdminJson.guard(ctx -> {
            String name = WebhookSources.checkName(ctx.pathParam("source"));
            ObjectNode body = AdminJson.readObject(ctx, false);
            AdminJson.onlyKnown(body, "", Set.of("public_key"));
            JsonNode key = body.get("public_key");
            if (key == null || !key.isTextual()) {
                throw new IllegalArgumentException("the body needs \"public_key\": the verification key SendGrid shows for the "
                        + "Signed Event Webhook (base64, starting MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE)");
            }
            WebhookSource s = sources.setPublicKey(name, key.asText());
            writer.prepare(s.schema());
            AdminJson.write(ctx, 200, view(s));
        }));
        app.delete("/v1/admin/webhook-sources/{source}/webhook-key", AdminJson.guard(ctx -> {
            existing(ctx);
            AdminJson.write(ctx, 200, view(sources.setPublicKey(ctx.pathParam("source"), null)));
        }));
        app.put("/v1/admin/webhook-sources/{source}/forwarding", AdminJson.guard(ctx -> {
            String name = WebhookSources.checkName(ctx.pathParam("source"));
            ObjectNode body = AdminJson.readObject(ctx, false);
            AdminJson.onlyKnown(body, "", Set.of("url", "format", "key"));
            JsonNode url = body.get("url");
            if (url == null || !url.isTextual()) {
                throw new IllegalArgumentException("the body needs \"url\": where to POST the events, e.g. https://api.segment.io/v1/batch");
            }
            JsonNode key = body.get("key");
            if (key != null && !key.isNull() && !key.isTextual()) {
                throw new IllegalArgumentException("\"key\" must be a string: the Segment write key or the Amplitude API key");
            }
            endpoints.checkForwarding(url.asText());
            Forwarding f = new Forwarding(url.asText(), ForwardFormat.of(body.path("format").asText("segment")),
                    key == null || key.isNull() ? null : key.asText());
            WebhookSource s = sources.setForwarding(name, f);
            writer.prepare(s.schema());
            AdminJson.write(ctx, 200, view(s));
        }));
        app.delete("/v1/admin/webhook-sources/{source}/forwarding", AdminJson.guard(ctx -> {
            existing(ctx);
            AdminJson.write(ctx, 200, view(sources.setForwarding(ctx.pathParam("source"), null)));
        }));
    }

    void allow(OutboundEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    private WebhookSource existing(Context ctx) {
        String name = ctx.pathParam("source");
        return sources.find(name).orElseThrow(() -> new NoSuchElementException("there is no webhook source '" + name
                + "'; create it with PUT /v1/admin/webhook-sources/" + name));
    }

    private ObjectNode view(WebhookSource s) {
        ObjectNode o = M.createObjectNode();
        o.put("source", s.name());
        o.put("schema", s.schema());
        o.put("webhook_path", s.name().equals(WebhookSources.DEFAULT) ? "/v1/webhooks/sendgrid" : "/v1/webhooks/sendgrid/" + s.name());
        o.put("signed", s.verifies());
        if (s.verifies()) {
            o.put("public_key", s.publicKeyText());
            o.put("key_origin", s.keyOrigin());
        }
        if (s.forwarding() == null) {
            o.putNull("forwarding");
        } else {
            ObjectNode f = o.putObject("forwarding");
            f.put("url", s.forwarding().url());
            f.put("format", s.forwarding().format().wireName());
            f.put("key", s.forwarding().maskedKey());
            OutboxStats stats = outbox.stats(s.name());
            f.put("pending", stats.pending());
            f.put("delivered", stats.delivered());
            f.put("dead", stats.dead());
            if (stats.lastError() != null) {
                if (stats.lastStatus() != null) {
                    f.put("last_status", stats.lastStatus());
                }
                f.put("last_error", stats.lastError());
            }
        }
        return o;
    }
}
