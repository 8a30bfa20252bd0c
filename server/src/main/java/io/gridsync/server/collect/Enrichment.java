package io.gridsync.server.collect;

import io.gridsync.server.IsoTimes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * What the hub adds to each message of a request, as Segment's API does: {@code context.ip} (the
 * client's address, {@link io.gridsync.server.http.ClientAddress}) when the message has none, and
 * the timestamp corrected for the client's clock skew: {@code timestamp = receivedAt - (sentAt -
 * originalTimestamp)}, the client's own {@code timestamp} kept as {@code originalTimestamp}.
 * {@code receivedAt} itself is set by the journal, to the same instant. One per request (not
 * shared between threads).
 */
final class Enrichment {

    private final String ip;
    private final long receivedAt;
    /** The batch's sentAt, read once for all its messages (it is the same node for each). */
    private JsonNode lastSentAt;
    private long lastSentAtMillis;

    /**
     * @param ip         the client's address
     * @param receivedAt epoch milliseconds when the request arrived
     */
    Enrichment(String ip, long receivedAt) {
        this.ip = ip;
        this.receivedAt = receivedAt;
    }

    long receivedAt() {
        return receivedAt;
    }

    /**
     * The message's timestamp corrected for the client's clock skew, as ISO-8601 text; null when it
     * has no timestamp and sentAt to correct it by (then it is left as sent).
     */
    String correctedTimestamp(ObjectNode m, JsonNode batchSentAt) {
        long sent = sentAtMillis(sentAt(m, batchSentAt));
        if (sent == IsoTimes.INVALID) {
            return null;
        }
        long client = millis(original(m));
        if (client == IsoTimes.INVALID) {
            return null;
        }
        return IsoTimes.format(receivedAt - (sent - client));
    }

    /** The ip as a JSON string, for splicing into a message's text. */
    String ipJson() {
        return '"' + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(ip)) + '"';
    }

    /**
     * Sets {@code corrected} ({@link #correctedTimestamp} of this message) as its timestamp and keeps
     * the client's own as originalTimestamp; null leaves both as sent.
     */
    void correctTimestamp(ObjectNode m, String corrected) {
        if (corrected == null) {
            return;
        }
        m.set("originalTimestamp", original(m));
        m.put("timestamp", corrected);
    }

    /** Sets {@code ip} in a message's context unless it has one (whatever it is: the client's word is kept). */
    void addIp(ObjectNode context) {
        if (!context.has("ip")) {
            context.put("ip", ip);
        }
    }

    private static JsonNode sentAt(ObjectNode m, JsonNode batchSentAt) {
        JsonNode own = m.get("sentAt");
        return own != null && !own.isNull() ? own : batchSentAt;
    }

    /** The client's time of the call: originalTimestamp when it sent one, else its timestamp. */
    private static JsonNode original(ObjectNode m) {
        JsonNode o = m.get("originalTimestamp");
        return o != null && !o.isNull() ? o : m.get("timestamp");
    }

    private long sentAtMillis(JsonNode v) {
        if (v != lastSentAt || v == null) {
            lastSentAtMillis = millis(v);
            lastSentAt = v;
        }
        return lastSentAtMillis;
    }

    private static long millis(JsonNode v) {
        return v == null || !v.isTextual() ? IsoTimes.INVALID : IsoTimes.millis(v.asText()); // Z and +02:00 both
    }
}
