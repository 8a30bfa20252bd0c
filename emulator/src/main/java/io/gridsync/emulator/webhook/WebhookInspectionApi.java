package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.Json;
import io.javalin.Javalin;

import java.util.List;

/**
 * Outside /v3, for tests and users: {@code GET /_emulator/webhook/batches} (every delivery attempt,
 * oldest first), {@code DELETE} of the same to clear it, {@code POST /_emulator/webhook/flush} (post
 * waiting batches and due retries now) and {@code GET /_emulator/webhook/public-key} (the oldest
 * signed webhook's key).
 */
public final class WebhookInspectionApi {

    private final EventDispatcher dispatcher;
    private final WebhookStore store;

    public WebhookInspectionApi(EventDispatcher dispatcher, WebhookStore store) {
        this.dispatcher = dispatcher;
        this.store = store;
    }

    public void register(Javalin app) {
        app.get("/_emulator/webhook/batches", ctx -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("attempts");
            dispatcher.attempts().forEach(a -> list.add(a.toJson()));
            out.put("pending_events", dispatcher.pendingEvents());
            out.put("retrying_batches", dispatcher.retryingBatches());
            Json.write(ctx, 200, out);
        });
        app.delete("/_emulator/webhook/batches", ctx -> {
            dispatcher.clearAttempts();
            ctx.status(204);
        });
        app.post("/_emulator/webhook/flush", ctx -> {
            EventDispatcher.Flushed f = dispatcher.flushNow();
            ObjectNode out = Json.object();
            out.put("batches", f.batches());
            out.put("events", f.events());
            Json.write(ctx, 200, out);
        });
        app.get("/_emulator/webhook/public-key", ctx -> {
            List<EventWebhook> signed = store.all().stream().filter(EventWebhook::signed).toList();
            if (signed.isEmpty()) {
                throw ApiError.notFound("no signed Event Webhook; turn signing on with PATCH "
                        + "/v3/user/webhooks/event/settings/signed {\"enabled\": true}");
            }
            EventWebhook w = signed.get(0);
            ObjectNode out = Json.object();
            out.put("id", w.id());
            out.put("url", w.url());
            out.put("public_key", w.signingKey().publicKeyBase64());
            Json.write(ctx, 200, out);
        });
    }
}
