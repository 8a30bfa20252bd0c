package io.gridsync.server.collect;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads tracking request bodies as a token stream. Each message is scanned, not built into a
 * tree: its top-level fields are kept (enough to check it), its nested objects are checked for
 * syntax and skipped, and its JSON text is cut from the body as sent. Building and writing out a
 * tree per message cost several times more than the rest of the request (docs/collect.md).
 */
final class BodyParser {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper;

    /** @param mapper must not fail on trailing tokens: messages are read one by one from one parser */
    BodyParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A single-message body: one JSON object. */
    ScannedMessage single(byte[] body) {
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                if (first != null) {
                    p.skipChildren();
                    p.nextToken(); // surface a syntax error before the shape error
                }
                throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body must be a JSON object (one message)");
            }
            ScannedMessage m = scan(p, body);
            if (p.nextToken() != null) {
                throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body is not valid JSON: it has more after its JSON object");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        } catch (IOException e) {
            throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body is not valid JSON");
        }
    }

    /** A batch body: {@code {"batch": [message, ...], ...}} with each message at most 32 KB. */
    ParsedBatch batch(byte[] body) {
        ObjectNode envelope = mapper.createObjectNode();
        List<ScannedMessage> items = null;
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body must be a JSON object with a \"batch\" array");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("batch") && value == JsonToken.START_ARRAY) {
                    items = new ArrayList<>();
                    JsonToken t;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        int index = items.size();
                        if (t != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            throw Rejection.badRequest(RejectReason.INVALID_JSON, "batch[" + index + "] must be a JSON object (a message)");
                        }
                        ScannedMessage m = scan(p, body);
                        if (m.bytes() > MessageRules.MAX_MESSAGE_BYTES) {
                            throw Rejection.badRequest(RejectReason.MESSAGE_TOO_LARGE, "batch[" + index + "] is " + m.bytes()
                                    + " bytes; a message may have at most 32 KB (" + MessageRules.MAX_MESSAGE_BYTES + " bytes)");
                        }
                        items.add(m);
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

    /**
     * Scans the object at the parser's START_OBJECT up to its END_OBJECT, noting where its context
     * ends and where its timestamp is, so the hub's additions can be spliced into the text.
     */
    private static ScannedMessage scan(JsonParser p, byte[] body) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        ObjectNode fields = NODES.objectNode();
        long contextEnd = -1;
        long timestampStart = -1;
        long timestampEnd = -1;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT && name.equals("context")) {
                fields.set(name, scanContext(p));
                contextEnd = p.currentTokenLocation().getByteOffset();
            } else {
                long valueStart = p.currentTokenLocation().getByteOffset();
                fields.set(name, scalarOrPlaceholder(p, value));
                if (value == JsonToken.VALUE_STRING && name.equals("timestamp")) {
                    timestampStart = valueStart;
                    timestampEnd = p.currentLocation().getByteOffset(); // the string was read whole: past its quote
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body is not valid JSON");
        }
        int end = (int) p.currentLocation().getByteOffset();
        String json = new String(body, start, end - start, StandardCharsets.UTF_8);
        boolean ascii = json.length() == end - start; // then byte and char offsets agree
        return new ScannedMessage(fields, json, end - start, index(body, start, contextEnd, ascii),
                index(body, start, timestampStart, ascii), index(body, start, timestampEnd, ascii));
    }

    /** A context object's top-level scalars (ip, locale, ...), its nested objects skipped; the parser ends at its END_OBJECT. */
    private static ObjectNode scanContext(JsonParser p) throws IOException {
        ObjectNode context = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            context.set(name, scalarOrPlaceholder(p, p.nextToken()));
        }
        return context;
    }

    /** The char index in the message's text of a byte offset in the body; -1 stays -1. */
    private static int index(byte[] body, int start, long byteOffset, boolean ascii) {
        if (byteOffset < 0) {
            return -1;
        }
        int n = (int) byteOffset - start;
        return ascii ? n : new String(body, start, n, StandardCharsets.UTF_8).length();
    }

    private static JsonNode scalarOrPlaceholder(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                p.skipChildren(); // still tokenized, so its syntax is checked
                yield NODES.objectNode();
            }
            case START_ARRAY -> {
                p.skipChildren();
                yield NODES.arrayNode();
            }
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> throw Rejection.badRequest(RejectReason.INVALID_JSON, "the body is not valid JSON");
        };
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
