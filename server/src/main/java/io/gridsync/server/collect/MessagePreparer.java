package io.gridsync.server.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.message.Message;
import io.gridsync.server.journal.RawMessage;

import java.util.Iterator;
import java.util.Map;

/**
 * Checks each message of one request and turns it into what the journal stores. Usually that is
 * the message's text as sent with fields added before its closing brace (the endpoint's type, the
 * batch's context, integrations and sentAt, {@code context.ip}); only a message whose own fields
 * must change (a writeKey to drop, a type to lower-case, a context to merge or give an ip, a
 * timestamp to correct: {@link Enrichment}) is built as a tree and written out.
 */
final class MessagePreparer {

    private final ObjectMapper mapper;
    /** The single-message endpoint's type; null in a batch. */
    private final String pathType;
    /** Batch-level defaults, null when the batch has none. */
    private final ObjectNode context;
    /** Whether the batch had a context of its own, to be merged into each message's. */
    private final boolean batchContext;
    private final ObjectNode integrations;
    private final JsonNode sentAt;
    private final Enrichment enrichment;
    private String contextJson;
    private String integrationsJson;

    private MessagePreparer(ObjectMapper mapper, String pathType, ObjectNode context, ObjectNode integrations, JsonNode sentAt,
                            Enrichment enrichment) {
        this.mapper = mapper;
        this.pathType = pathType;
        this.integrations = integrations;
        this.sentAt = sentAt;
        this.enrichment = enrichment;
        // the context a message without one gets: the batch's, with the client's ip unless it has one
        this.batchContext = context != null;
        this.context = context == null ? mapper.createObjectNode() : context.deepCopy();
        enrichment.addIp(this.context);
    }

    static MessagePreparer single(ObjectMapper mapper, String pathType, Enrichment enrichment) {
        return new MessagePreparer(mapper, pathType, null, null, null, enrichment);
    }

    /** Batch-level context and integrations apply to every message (its own keys win); so does sentAt. */
    static MessagePreparer batch(ObjectMapper mapper, ObjectNode envelope, Enrichment enrichment) {
        return new MessagePreparer(mapper, null, defaultObject(envelope, "context"), defaultObject(envelope, "integrations"),
                defaultSentAt(envelope), enrichment);
    }

    private static ObjectNode defaultObject(ObjectNode envelope, String field) {
        JsonNode v = envelope.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw Rejection.badRequest(RejectReason.INVALID_FIELD, "the batch's '" + field + "' must be a JSON object");
        }
        return v.isEmpty() ? null : (ObjectNode) v;
    }

    private static JsonNode defaultSentAt(ObjectNode envelope) {
        JsonNode v = envelope.get("sentAt");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw Rejection.badRequest(RejectReason.INVALID_FIELD, "the batch's 'sentAt' must be an ISO-8601 date string");
        }
        return v;
    }

    /** @param where how an error names the message ("" or "batch[3]") */
    RawMessage prepare(ScannedMessage scanned, String where) {
        ObjectNode f = scanned.fields();
        JsonNode sentType = f.get("type");
        boolean typeAbsent = sentType == null;
        boolean typeNull = sentType != null && sentType.isNull();
        if (pathType != null) {
            if (typeAbsent || typeNull) {
                f.put("type", pathType); // the endpoint says what it is
            } else if (!sentType.isTextual() || !sentType.asText().equalsIgnoreCase(pathType)) {
                throw Rejection.badRequest(RejectReason.TYPE_MISMATCH, "the message's type " + sentType
                        + " does not match the endpoint /v1/" + pathType + "; post it to its own endpoint or to /v1/batch");
            }
        }
        MessageRules.check(f, where); // lower-cases the type
        String type = f.get("type").asText();
        boolean typeAsSent = sentType != null && sentType.isTextual() && sentType.asText().equals(type);
        JsonNode id = f.get("messageId");
        String corrected = enrichment.correctedTimestamp(f, sentAt);
        boolean correct = corrected != null;
        boolean rewrite = typeNull || (!typeAbsent && !typeAsSent)
                || f.has("writeKey") || f.has("receivedAt") || (id != null && id.isNull())
                || (f.has("context") && (batchContext || scanned.contextEnd() < 0)) || (integrations != null && f.has("integrations"))
                || (sentAt != null && f.has("sentAt") && f.get("sentAt").isNull())
                || (correct && !timestampSpliceable(scanned));
        String json = rewrite ? rewritten(scanned.json(), type, corrected)
                : spliced(scanned, typeAbsent ? type : null, corrected);
        return new RawMessage(json, type, id == null || id.isNull() ? null : id.asText(), new Message(f).personKey());
    }

    /** Its timestamp can be replaced in its text: a string found where the scan said, and no originalTimestamp to keep. */
    private static boolean timestampSpliceable(ScannedMessage m) {
        String json = m.json();
        return m.timestampStart() >= 0 && !m.fields().has("originalTimestamp") && json.charAt(m.timestampStart()) == '"'
                && json.charAt(m.timestampEnd() - 1) == '"';
    }

    /**
     * The text as sent plus the fields it lacks (a checked message has fields, so a comma always
     * fits), with the client's ip put in its own context and its timestamp replaced by {@code timestamp}
     * (the one sent then kept as originalTimestamp) when that is not null.
     */
    private String spliced(ScannedMessage scanned, String addType, String timestamp) {
        String json = scanned.json();
        ObjectNode f = scanned.fields();
        boolean addContext = !f.has("context");
        boolean addIp = !addContext && !f.get("context").has("ip");
        boolean addIntegrations = integrations != null && !f.has("integrations");
        boolean addSentAt = sentAt != null && !f.has("sentAt");
        if (addType == null && !addContext && !addIp && !addIntegrations && !addSentAt && timestamp == null) {
            return json;
        }
        StringBuilder b = new StringBuilder(json.length() + 200);
        int at = 0;
        int ipAt = addIp ? scanned.contextEnd() : -1;
        int tsAt = timestamp != null ? scanned.timestampStart() : -1;
        for (int i = 0; i < 2; i++) { // the two edits inside the text, in text order
            boolean ipNext = ipAt >= 0 && (tsAt < 0 || ipAt < tsAt);
            if (ipNext) {
                b.append(json, at, ipAt);
                b.append(f.get("context").isEmpty() ? "" : ",").append("\"ip\":").append(enrichment.ipJson());
                at = ipAt;
                ipAt = -1;
            } else if (tsAt >= 0) {
                b.append(json, at, tsAt).append('"').append(timestamp).append('"');
                at = scanned.timestampEnd();
                tsAt = -1;
            }
        }
        b.append(json, at, json.lastIndexOf('}'));
        if (timestamp != null) {
            b.append(",\"originalTimestamp\":").append(json, scanned.timestampStart(), scanned.timestampEnd());
        }
        if (addType != null) {
            b.append(",\"type\":\"").append(addType).append('"'); // one of MessageRules.TYPES: nothing to escape
        }
        if (addContext) {
            if (contextJson == null) {
                contextJson = write(context);
            }
            b.append(",\"context\":").append(contextJson);
        }
        if (addIntegrations) {
            if (integrationsJson == null) {
                integrationsJson = write(integrations);
            }
            b.append(",\"integrations\":").append(integrationsJson);
        }
        if (addSentAt) {
            b.append(",\"sentAt\":").append(sentAt);
        }
        return b.append('}').toString();
    }

    /** The message as a tree with the changes applied (its timestamp {@code corrected} unless null), written out again. */
    private String rewritten(String json, String type, String corrected) {
        ObjectNode m;
        try {
            m = (ObjectNode) mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a scanned message did not parse again", e);
        }
        m.remove("writeKey");
        m.remove("receivedAt"); // the journal sets it
        JsonNode id = m.get("messageId");
        if (id != null && id.isNull()) {
            m.remove("messageId"); // the journal generates one
        }
        m.put("type", type);
        inherit(m, "context", context);
        inherit(m, "integrations", integrations);
        if (sentAt != null && !m.hasNonNull("sentAt")) {
            m.set("sentAt", sentAt);
        }
        enrichment.correctTimestamp(m, corrected);
        return write(m);
    }

    private static void inherit(ObjectNode m, String field, ObjectNode shared) {
        if (shared == null) {
            return;
        }
        JsonNode own = m.get(field);
        if (own == null || own.isNull()) {
            m.set(field, shared.deepCopy());
        } else if (own.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = shared.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!own.has(e.getKey())) {
                    ((ObjectNode) own).set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }
    }

    private String write(JsonNode n) {
        try {
            return mapper.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
