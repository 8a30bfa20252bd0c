package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.javalin.http.Context;

/**
 * The Event Webhook settings API: the multi-webhook endpoints of {@code tsg_webhooks_v3.json}
 * ({@code POST /settings}, {@code GET /settings/all}, {@code GET|PATCH|DELETE /settings/{id}},
 * {@code GET|PATCH /settings/signed/{id}}, {@code POST /test}) and the legacy single-webhook endpoints
 * ({@code GET|PATCH /settings}, {@code GET|PATCH /settings/signed}), which act on the oldest webhook.
 */
public final class EventWebhookApi {

    static final String BASE = "/v3/user/webhooks/event";
    static final String READ = "user.webhooks.event.settings.read";
    static final String UPDATE = "user.webhooks.event.settings.update";
    static final String TEST = "user.webhooks.event.test.create";

    private final WebhookStore store;
    private final EventDispatcher dispatcher;
    private final EventGenerator generator;

    public EventWebhookApi(WebhookStore store, EventDispatcher dispatcher, EventGenerator generator) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.generator = generator;
    }

    public void register(ApiRouter router) {
        // literal paths first: Javalin picks the first route that matches, and {id} would match "all" and "signed"
        router.get(BASE + "/settings", READ, this::legacyGet);
        router.patch(BASE + "/settings", UPDATE, ctx -> conflicts(ctx, () -> {
            EventWebhook w = store.updateOldest(WebhookPatch.parse(Json.bodyObject(ctx), false));
            Json.write(ctx, 200, WebhookViews.settings(w, true, false, accountStatus(ctx)));
        }));
        router.post(BASE + "/settings", UPDATE, ctx -> conflicts(ctx, () -> {
            EventWebhook w = store.create(WebhookPatch.parse(Json.bodyObject(ctx), true));
            Json.write(ctx, 201, WebhookViews.settings(w, true, false, accountStatus(ctx)));
        }));
        router.get(BASE + "/settings/all", READ, ctx -> {
            ObjectNode out = Json.object();
            out.put("max_allowed", WebhookStore.MAX_WEBHOOKS);
            ArrayNode list = out.putArray("webhooks");
            store.all().forEach(w -> list.add(WebhookViews.settings(w, true, true, accountStatus(ctx))));
            Json.write(ctx, 200, out);
        });
        router.get(BASE + "/settings/signed", READ,
                ctx -> Json.write(ctx, 200, WebhookViews.publicKey("", store.oldest().orElse(null))));
        router.patch(BASE + "/settings/signed", UPDATE, ctx -> {
            boolean enabled = signedFlag(Json.bodyObject(ctx));
            EventWebhook oldest = store.oldest().orElseThrow(() -> ApiError.notFound("There is no Event Webhook to sign; "
                    + "set one up with PATCH /v3/user/webhooks/event/settings or POST /v3/user/webhooks/event/settings first."));
            EventWebhook w = store.setSigned(oldest.id(), enabled);
            Json.write(ctx, 200, WebhookViews.publicKey(w.id(), w));
        });
        router.get(BASE + "/settings/signed/{id}", READ, ctx -> {
            EventWebhook w = store.byId(ctx.pathParam("id")).orElseThrow(WebhookStore::invalidId);
            Json.write(ctx, 200, WebhookViews.publicKey(w.id(), w));
        });
        router.patch(BASE + "/settings/signed/{id}", UPDATE, ctx -> {
            boolean enabled = signedFlag(Json.bodyObject(ctx));
            EventWebhook w = store.setSigned(ctx.pathParam("id"), enabled);
            Json.write(ctx, 200, WebhookViews.publicKey(w.id(), w));
        });
        router.get(BASE + "/settings/{id}", READ, ctx -> {
            EventWebhook w = store.byId(ctx.pathParam("id")).orElseThrow(WebhookStore::invalidId);
            Json.write(ctx, 200, WebhookViews.settings(w, false, true, accountStatus(ctx)));
        });
        router.patch(BASE + "/settings/{id}", UPDATE, ctx -> conflicts(ctx, () -> {
            EventWebhook w = store.update(ctx.pathParam("id"), WebhookPatch.parse(Json.bodyObject(ctx), false));
            Json.write(ctx, 200, WebhookViews.settings(w, true, false, accountStatus(ctx)));
        }));
        router.delete(BASE + "/settings/{id}", UPDATE, ctx -> {
            store.delete(ctx.pathParam("id"));
            ctx.status(204);
        });
        router.post(BASE + "/test", TEST, this::test);
    }

    private void legacyGet(Context ctx) {
        ObjectNode body = store.oldest()
                .map(w -> WebhookViews.settings(w, false, true, accountStatus(ctx)))
                .orElseGet(() -> WebhookViews.unconfigured(accountStatus(ctx)));
        Json.write(ctx, 200, body);
    }

    /** Posts one sample event of each type to the given URL, once, signed with the named webhook's key. */
    private void test(Context ctx) {
        ObjectNode body = Json.bodyObject(ctx);
        JsonNode url = body.get("url");
        if (url == null || !url.isTextual() || url.asText().isBlank()) {
            throw ApiError.badRequest("url", "url is required: where the test events are posted");
        }
        String target = WebhookPatch.validUrl(url.asText());
        SigningKey key = null;
        String id = Json.optText(body, "id");
        if (id != null && !id.isEmpty()) {
            key = store.byId(id).orElseThrow(WebhookStore::invalidId).signingKey();
        }
        dispatcher.postOnce(target, key, generator.samples());
        ctx.status(204);
    }

    private static boolean signedFlag(ObjectNode body) {
        JsonNode enabled = body.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw ApiError.badRequest("enabled", "enabled is required and must be true or false "
                    + "(true turns signing on and returns the public key)");
        }
        return enabled.asBoolean();
    }

    private static boolean accountStatus(Context ctx) {
        String include = ctx.queryParam("include");
        return include != null && include.contains("account_status_change");
    }

    /** Runs a create/update; a URL already in use is SendGrid's 400 naming the webhook that has it. */
    private static void conflicts(Context ctx, Runnable action) {
        try {
            action.run();
        } catch (WebhookUrlInUse e) {
            ObjectNode out = Json.object();
            ObjectNode err = out.putArray("errors").addObject();
            err.put("id", e.existingId());
            err.put("message", e.getMessage());
            err.put("url", e.url());
            Json.write(ctx, 400, out);
        }
    }
}
