package io.gridsync.emulator.senders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.List;

/**
 * {@code /v3/marketing/senders}: create, list, read, change and delete the senders Single Sends
 * are sent from. The emulator verifies a sender at once (SendGrid mails its from address first).
 */
public final class SendersApi {

    private static final String PATH = "/v3/marketing/senders";
    private static final List<String> REQUIRED = List.of("nickname", "address", "city", "country");
    private static final List<String> OPTIONAL = List.of("address_2", "state", "zip");

    private final SenderStore senders;

    public SendersApi(SenderStore senders) {
        this.senders = senders;
    }

    public void register(ApiRouter router) {
        router.post(PATH, "marketing.write", this::create);
        router.get(PATH, "marketing.read", ctx -> {
            ObjectNode body = Json.object();
            ArrayNode results = body.putArray("results");
            senders.all().forEach(results::add);
            Json.write(ctx, 200, body);
        });
        router.get(PATH + "/{id}", "marketing.read", ctx -> Json.write(ctx, 200, find(ctx)));
        router.patch(PATH + "/{id}", "marketing.write", this::update);
        router.delete(PATH + "/{id}", "marketing.write", ctx -> {
            senders.delete(find(ctx).get("id").asLong());
            ctx.status(204);
        });
    }

    private void create(Context ctx) {
        ObjectNode body = Json.bodyObject(ctx);
        ObjectNode s = Json.object();
        ApiError.Collector errors = new ApiError.Collector();
        for (String f : REQUIRED) {
            copyText(body, s, f, true, errors);
        }
        for (String f : OPTIONAL) {
            copyText(body, s, f, false, errors);
        }
        s.set("from", address(body, "from", true, errors));
        s.set("reply_to", address(body, "reply_to", false, errors));
        errors.throwIfAny(400);
        long now = Instant.now().getEpochSecond();
        s.put("verified", true);
        s.put("locked", false);
        s.put("created_at", now);
        s.put("updated_at", now);
        Json.write(ctx, 201, senders.add(s));
    }

    private void update(Context ctx) {
        ObjectNode s = find(ctx);
        ObjectNode body = Json.bodyObject(ctx);
        ApiError.Collector errors = new ApiError.Collector();
        for (String f : REQUIRED) {
            if (body.has(f)) {
                copyText(body, s, f, true, errors);
            }
        }
        for (String f : OPTIONAL) {
            if (body.has(f)) {
                copyText(body, s, f, false, errors);
            }
        }
        if (body.has("from")) {
            s.set("from", address(body, "from", true, errors));
        }
        if (body.has("reply_to")) {
            s.set("reply_to", address(body, "reply_to", false, errors));
        }
        errors.throwIfAny(400);
        s.put("updated_at", Instant.now().getEpochSecond());
        senders.put(s);
        Json.write(ctx, 200, s);
    }

    private ObjectNode find(Context ctx) {
        String raw = ctx.pathParam("id");
        try {
            return senders.get(Long.parseLong(raw)).orElseThrow(() -> notFound(raw));
        } catch (NumberFormatException e) {
            throw notFound(raw);
        }
    }

    private static ApiError notFound(String id) {
        return ApiError.of(404, "id", "sender " + id + " not found; GET /v3/marketing/senders lists the senders");
    }

    private static void copyText(JsonNode body, ObjectNode into, String field, boolean required, ApiError.Collector errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(field, field + " is required");
            } else {
                into.put(field, "");
            }
        } else if (!v.isTextual()) {
            errors.add(field, field + " must be a string");
        } else {
            into.put(field, v.asText());
        }
    }

    /** {@code from} ({@code email} and {@code name} required) or {@code reply_to} ({@code email}; defaults to from). */
    private static ObjectNode address(JsonNode body, String field, boolean nameRequired, ApiError.Collector errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (nameRequired) {
                errors.add(field, field + " is required: {\"email\": ..., \"name\": ...}");
                return Json.object();
            }
            return body.path("from").isObject() ? ((ObjectNode) body.get("from")).deepCopy() : Json.object();
        }
        ObjectNode out = Json.object();
        if (!v.isObject() || !v.path("email").isTextual() || !v.path("email").asText().contains("@")) {
            errors.add(field + ".email", field + ".email must be an email address");
            return out;
        }
        out.put("email", v.get("email").asText());
        if (v.path("name").isTextual()) {
            out.put("name", v.get("name").asText());
        } else if (nameRequired) {
            errors.add(field + ".name", field + ".name is required");
        } else {
            out.put("name", "");
        }
        return out;
    }
}
