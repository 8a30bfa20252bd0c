package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;

import java.time.Instant;

/**
 * One POST of a batch to a webhook URL and what came of it, for {@code GET /_emulator/webhook/batches}.
 * {@code outcome} is {@code delivered}, {@code retry_scheduled}, {@code gave_up} (retried for longer than
 * the give-up time), {@code dropped} (the webhook was deleted or disabled) or {@code failed} (a test post,
 * which is not retried).
 */
public record DeliveryAttempt(long batchId, String kind, String webhookId, String url, int attempt, int eventCount,
                              Integer statusCode, String error, Instant at, String outcome, boolean signed,
                              Long nextAttemptInMillis) {

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("batch_id", batchId);
        o.put("kind", kind);
        if (webhookId == null) {
            o.putNull("webhook_id");
        } else {
            o.put("webhook_id", webhookId);
        }
        o.put("url", url);
        o.put("attempt", attempt);
        o.put("event_count", eventCount);
        if (statusCode == null) {
            o.putNull("status_code");
        } else {
            o.put("status_code", statusCode);
        }
        if (error == null) {
            o.putNull("error");
        } else {
            o.put("error", error);
        }
        o.put("at", at.toString());
        o.put("outcome", outcome);
        o.put("signed", signed);
        if (nextAttemptInMillis != null) {
            o.put("next_attempt_in_ms", nextAttemptInMillis);
        }
        return o;
    }
}
