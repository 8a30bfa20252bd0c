package io.gridsync.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.admin.AdminJson;
import io.gridsync.server.forward.ForwardFormat;
import io.gridsync.server.forward.Forwarding;
import io.gridsync.server.forward.Outbox;
import io.gridsync.server.forward.OutboxStats;
import io.gridsync.server.security.OutboundEndpoints;
import io.gridsync.server.source.SourceWebhooks;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook side of the SendGrid source resource ({@code /v1/admin/sources/{name}}, docs/admin.md):
 * a source's verification key and its forwarding, shown and changed through {@link SourceWebhooks}.
 * The forwarding key is never answered, only its last four characters. The routes of the former
 * webhook-source resource ({@code /v1/admin/webhook-sources}) answer with where they moved.
 */
public final class WebhookSourcesApi implements SourceWebhooks {

    private static final ObjectMapper M = AdminJson.MAPPER;
    private static final String OLD = "/v1/admin/webhook-sources";

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

    /** The former routes: GETs are redirected (301), changes answer 410 with the request that does it now. */
    public void register(Javalin app) {
        app.get(OLD, ctx -> moved(ctx, 301, "/v1/admin/sources", "webhook sources are sources now: GET /v1/admin/sources"));
        app.get(OLD + "/{source}", ctx -> moved(ctx, 301, to(ctx), "webhook sources are sources now: GET " + to(ctx)));
        app.put(OLD + "/{source}", ctx -> moved(ctx, 410, to(ctx), "webhook sources are sources now: create one with PUT " + to(ctx)));
        app.put(OLD + "/{source}/webhook-key", ctx -> moved(ctx, 410, to(ctx), "the verification key moved: PATCH " + to(ctx)
                + " {\"webhook_public_key\": \"MFkw...\"}"));
        app.delete(OLD + "/{source}/webhook-key", ctx -> moved(ctx, 410, to(ctx), "the verification key moved: PATCH " + to(ctx)
                + " {\"webhook_public_key\": null}"));
        app.put(OLD + "/{source}/forwarding", ctx -> moved(ctx, 410, to(ctx), "forwarding moved: PATCH " + to(ctx)
                + " {\"forwarding\": {\"url\": ..., \"format\": ..., \"key\": ...}}"));
        app.delete(OLD + "/{source}/forwarding", ctx -> moved(ctx, 410, to(ctx), "forwarding moved: PATCH " + to(ctx)
                + " {\"forwarding\": null}"));
    }

    private static String to(Context ctx) {
        return "/v1/admin/sources/" + URLEncoder.encode(ctx.pathParam("source"), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void moved(Context ctx, int status, String location, String message) throws Exception {
        ctx.header("Location", location);
        ObjectNode body = M.createObjectNode();
        body.put("error", message);
        body.put("moved_to", location);
        AdminJson.write(ctx, status, body);
    }

    void allow(OutboundEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public Optional<ObjectNode> view(String name) {
        return sources.find(name).map(this::view);
    }

    @Override
    public List<String> names() {
        return sources.list().stream().map(WebhookSource::name).toList();
    }

    @Override
    public void create(String name) {
        WebhookSource s = sources.create(WebhookSources.checkName(name));
        writer.prepare(s.schema());
    }

    @Override
    public void apply(String name, ObjectNode patch) {
        WebhookSources.checkName(name);
        if (patch.has("webhook_public_key")) {
            JsonNode key = patch.get("webhook_public_key");
            if (!key.isNull() && !key.isTextual()) {
                throw new IllegalArgumentException("webhook_public_key must be the verification key SendGrid shows for the Signed "
                        + "Event Webhook (base64, starting MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE), or null to accept unsigned posts");
            }
            sources.setPublicKey(name, key.isNull() ? null : key.asText());
        }
        if (patch.has("forwarding")) {
            JsonNode f = patch.get("forwarding");
            sources.setForwarding(name, f.isNull() ? null : forwarding(f));
        }
        writer.prepare(name);
    }

    private Forwarding forwarding(JsonNode body) {
        if (!body.isObject()) {
            throw new IllegalArgumentException("forwarding must be an object {\"url\": ..., \"format\": \"segment\" | \"amplitude\", "
                    + "\"key\": ...}, or null to stop forwarding");
        }
        AdminJson.onlyKnown((ObjectNode) body, "forwarding.", Set.of("url", "format", "key"));
        JsonNode url = body.get("url");
        if (url == null || !url.isTextual()) {
            throw new IllegalArgumentException("forwarding needs \"url\": where to POST the events, e.g. https://api.segment.io/v1/batch");
        }
        JsonNode key = body.get("key");
        if (key != null && !key.isNull() && !key.isTextual()) {
            throw new IllegalArgumentException("forwarding.key must be a string: the Segment write key or the Amplitude API key");
        }
        endpoints.checkForwarding(url.asText());
        return new Forwarding(url.asText(), ForwardFormat.of(body.path("format").asText("segment")),
                key == null || key.isNull() ? null : key.asText());
    }

    private ObjectNode view(WebhookSource s) {
        ObjectNode out = M.createObjectNode();
        ObjectNode o = out.putObject("webhook");
        o.put("path", s.name().equals(WebhookSources.DEFAULT) ? "/v1/webhooks/sendgrid" : "/v1/webhooks/sendgrid/" + s.name());
        o.put("signed", s.verifies());
        if (s.verifies()) {
            o.put("public_key", s.publicKeyText());
            o.put("key_origin", s.keyOrigin());
        }
        if (s.forwarding() == null) {
            out.putNull("forwarding");
        } else {
            ObjectNode f = out.putObject("forwarding");
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
        return out;
    }
}
