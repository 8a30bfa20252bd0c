package io.gridsync.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.IOException;

/** The emulator's one ObjectMapper and the request-body helpers every endpoint family uses. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses the request body; malformed JSON is a SendGrid-shaped 400, never a 500. */
    public static JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw ApiError.badRequest(null, "request body is empty; send a JSON object");
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ApiError.badRequest(null, "request body is empty; send a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(null, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest(null, "could not read request body: " + e.getMessage());
        }
    }

    /** The body as a JSON object; anything else (an array, a string) is a 400. */
    public static ObjectNode bodyObject(Context ctx) {
        JsonNode node = body(ctx);
        if (!node.isObject()) {
            throw ApiError.badRequest(null, "request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** An optional string field; present with another type is a 400 naming the field. */
    public static String optText(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field, field + " must be a string");
        }
        return v.asText();
    }

    public static void write(Context ctx, int status, JsonNode body) {
        ctx.status(status);
        ctx.contentType("application/json");
        try {
            ctx.result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
