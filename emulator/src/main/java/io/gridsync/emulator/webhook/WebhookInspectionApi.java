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
 * signed webhook's key), and {@code POST /_emulator/webhook/events}: events of the caller's, sent now
 * to every Event Webhook as SendGrid would send them (signed with the webhook's key), answered with
 * each post's outcome — a sample webhook for testing a receiver, such as the hub's capture.
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
        app.post("/_emulator/webhook/events", ctx -> {
            com.fasterxml.jackson.databind.JsonNode body;
            try {
                body = Json.MAPPER.readTree(ctx.body());
            } catch (Exception e) {
                throw ApiError.badRequest(null, "the body must be a JSON array of Event Webhook events");
            }
            if (body == null || !body.isArray() || body.isEmpty()) {
                throw ApiError.badRequest(null, "the body must be a non-empty JSON array of Event Webhook events");
            }
            List<ObjectNode> events = new java.util.ArrayList<>();
            long now = java.time.Instant.now().getEpochSecond();
            for (com.fasterxml.jackson.databind.JsonNode e : body) {
                if (!e.isObject() || !e.path("event").isTextual()) {
                    throw ApiError.badRequest(null, "every event must be an object with an \"event\" name, e.g. "
                            + "{\"event\":\"delivered\",\"email\":\"ada@example.com\"}");
                }
                ObjectNode o = ((ObjectNode) e).deepCopy();
                // what SendGrid always sends, filled in so that a short sample is a real event
                if (!o.has("timestamp")) {
                    o.put("timestamp", now);
                }
                if (!o.has("sg_event_id")) {
                    o.put("sg_event_id", java.util.UUID.randomUUID().toString().replace("-", ""));
                }
                events.add(o);
            }
            long lastBefore = dispatcher.attempts().stream().mapToLong(DeliveryAttempt::batchId).max().orElse(0);
            dispatcher.publish(events);
            EventDispatcher.Flushed f = dispatcher.flushNow();
            List<DeliveryAttempt> sent = List.of();
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline) { // the posts go out asynchronously: wait for their answers
                sent = dispatcher.attempts().stream().filter(a -> a.batchId() > lastBefore && a.attempt() == 1).toList();
                if (sent.size() >= f.batches()) {
                    break;
                }
                Thread.sleep(20);
            }
            ObjectNode out = Json.object();
            out.put("events", events.size());
            ArrayNode list = out.putArray("posts");
            sent.forEach(a -> list.add(a.toJson()));
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
