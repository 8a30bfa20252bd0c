package io.gridsync.server.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What the hub adds to each message of a request, as Segment's API does: {@code context.ip} (the
 * client's address, {@link io.gridsync.server.http.ClientAddress}) when the message has none, and
 * the timestamp corrected for the client's clock skew: {@code timestamp = receivedAt - (sentAt -
 * originalTimestamp)}, the client's own {@code timestamp} kept as {@code originalTimestamp}.
 * {@code receivedAt} itself is set by the journal, to the same instant.
 *
 * @param ip         the client's address
 * @param receivedAt epoch milliseconds when the request arrived
 */
record Enrichment(String ip, long receivedAt) {

    /** True when {@link #correctTimestamp} would change {@code m}: it has a timestamp and a sentAt to correct it by. */
    boolean correctsTimestamp(ObjectNode m, JsonNode batchSentAt) {
        return instant(sentAt(m, batchSentAt)) != null && instant(original(m)) != null;
    }

    /** The corrected timestamp of a message for which {@link #correctsTimestamp} holds. */
    String correctedTimestamp(ObjectNode m, JsonNode batchSentAt) {
        Instant sent = instant(sentAt(m, batchSentAt));
        Instant client = instant(original(m));
        return Instant.ofEpochMilli(receivedAt).minusMillis(sent.toEpochMilli() - client.toEpochMilli()).toString();
    }

    /** The ip as a JSON string, for splicing into a message's text. */
    String ipJson() {
        return '"' + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(ip)) + '"';
    }

    /** Sets timestamp (and originalTimestamp) on {@code m}; unparseable times are left as sent. */
    void correctTimestamp(ObjectNode m, JsonNode batchSentAt) {
        Instant sent = instant(sentAt(m, batchSentAt));
        JsonNode original = original(m);
        Instant client = instant(original);
        if (sent == null || client == null) {
            return;
        }
        m.set("originalTimestamp", original);
        m.put("timestamp", correctedTimestamp(m, batchSentAt));
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

    private static Instant instant(JsonNode v) {
        if (v == null || !v.isTextual()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(v.asText()).toInstant(); // Z and +02:00 both
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
