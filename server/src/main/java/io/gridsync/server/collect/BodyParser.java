package io.gridsync.server.collect;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses tracking request bodies. A batch is read as a stream so each message's size is its span
 * in the body as sent, without writing it back out to measure it.
 */
final class BodyParser {

    private final ObjectMapper mapper;

    /** @param mapper must not fail on trailing tokens: messages are read one by one from one parser */
    BodyParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A single-message body: one JSON object. */
    ObjectNode single(byte[] body) {
        JsonNode n;
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            n = p.nextToken() == null ? null : mapper.readTree(p);
            if (n != null && p.nextToken() != null) {
                throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body is not valid JSON: it has more after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        } catch (IOException e) {
            throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body must be a JSON object (one message)");
        }
        return (ObjectNode) n;
    }

    /** A batch body: {@code {"batch": [message, ...], ...}} with each message at most 32 KB. */
    ParsedBatch batch(byte[] body) {
        ObjectNode envelope = mapper.createObjectNode();
        List<ObjectNode> items = null;
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body must be a JSON object with a \"batch\" array");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("batch") && value == JsonToken.START_ARRAY) {
                    items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        int index = items.size();
                        long start = p.currentTokenLocation().getByteOffset();
                        JsonNode item = mapper.readTree(p);
                        long end = p.currentLocation().getByteOffset();
                        if (item == null || !item.isObject()) {
                            throw Rejection.badRequest(RejectReason.INVALID_JSON, "batch[" + index + "] must be a JSON object (a message)");
                        }
                        if (start >= 0 && end - start > MessageRules.MAX_MESSAGE_BYTES) {
                            throw Rejection.badRequest(RejectReason.MESSAGE_TOO_LARGE, "batch[" + index + "] is " + (end - start)
                                    + " bytes; a message may have at most 32 KB (" + MessageRules.MAX_MESSAGE_BYTES + " bytes)");
                        }
                        items.add((ObjectNode) item);
                    }
                } else {
                    envelope.set(field, mapper.readTree(p));
                }
            }
            if (p.nextToken() != null) {
                throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body is not valid JSON: it has more after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        } catch (IOException e) {
            throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body is not valid JSON");
        }
        if (items == null || items.isEmpty()) {
            throw Rejection.badRequest(RejectReason.EMPTY_BATCH, "the body needs \"batch\": a non-empty array of messages");
        }
        return new ParsedBatch(envelope, items);
    }

    private static Rejection invalidJson(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String what = e.getOriginalMessage();
        // Jackson's message can quote long stretches of the body: keep the first line, and short
        int nl = what.indexOf('\n');
        if (nl > 0) {
            what = what.substring(0, nl);
        }
        if (what.length() > 200) {
            what = what.substring(0, 200) + "...";
        }
        return Rejection.badRequest(RejectReason.INVALID_JSON, "the body is not valid JSON" + where + ": " + what);
    }
}
