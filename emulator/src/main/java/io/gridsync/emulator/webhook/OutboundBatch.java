package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A batch cut for one webhook: its events and the exact body bytes, which every (re)delivery posts
 * unchanged, so a receiver sees the same {@code sg_event_id}s again after a failure. A test post
 * carries its own URL and key instead of a webhook id.
 */
final class OutboundBatch {

    final long id;
    final String webhookId;
    final String fixedUrl;
    final SigningKey fixedKey;
    final List<ObjectNode> events;
    final byte[] body;
    final AtomicInteger attempts = new AtomicInteger();
    volatile long firstAttemptAtMillis;

    OutboundBatch(long id, String webhookId, String fixedUrl, SigningKey fixedKey, List<ObjectNode> events) {
        this.id = id;
        this.webhookId = webhookId;
        this.fixedUrl = fixedUrl;
        this.fixedKey = fixedKey;
        this.events = List.copyOf(events);
        this.body = encode(this.events);
    }

    boolean isTest() {
        return webhookId == null;
    }

    /** SendGrid's framing: a JSON array with one event per line, CRLF-separated, ending in CRLF. */
    static byte[] encode(List<ObjectNode> events) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                sb.append(",\r\n");
            }
            sb.append(events.get(i).toString());
        }
        sb.append("]\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
