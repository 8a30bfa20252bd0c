package io.gridsync.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.http.BodyRefused;
import io.gridsync.server.http.ConnectionCut;
import io.gridsync.server.integrations.IntegrationConflictException;
import io.gridsync.server.secrets.SealedSecretException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.gridsync.server.health.LogEvery;
import io.gridsync.server.store.StorageFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * JSON in and out of the admin API, with our own mapper (whatever the app's is), and the mapping
 * of failures to {@code {"error": "..."}} answers. Parse errors never quote the body: it may hold an API key.
 */
public final class AdminJson {

    private static final Logger log = LoggerFactory.getLogger(AdminJson.class);
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    private AdminJson() {}

    public interface Route {
        void handle(Context ctx) throws Exception;
    }

    private static final LogEvery STORAGE_LOG = new LogEvery(java.time.Duration.ofMinutes(1));

    /**
     * Runs a route; what a user caused becomes a 4xx with a message, a storage fault a 503 to retry,
     * anything else a 500 without details.
     */
    public static Handler guard(Route route) {
        return ctx -> {
            try {
                route.handle(ctx);
            } catch (AdminError e) {
                error(ctx, e.status, e.getMessage());
            } catch (BodyRefused e) {
                ConnectionCut.afterAnswer(ctx.req(), ctx.res()); // the rest of the body is not read
                error(ctx, e.status, e.getMessage());
            } catch (IntegrationConflictException e) {
                error(ctx, 409, e.getMessage());
            } catch (NoSuchElementException e) {
                error(ctx, 404, e.getMessage());
            } catch (IllegalArgumentException e) {
                error(ctx, 400, e.getMessage());
            } catch (SealedSecretException e) {
                log.error("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                error(ctx, 500, e.getMessage());
            } catch (Exception e) {
                if (StorageFault.is(e)) {
                    // nothing was half-written (one transaction); the same request may be sent again
                    long n = STORAGE_LOG.tick("storage");
                    if (n > 0) {
                        log.warn("{} {}: the state database cannot write ({}); answered 503 ({} such requests in the last minute)",
                                ctx.method(), ctx.path(), e.getMessage(), n);
                    }
                    ctx.header("Retry-After", "5");
                    error(ctx, 503, StorageFault.isDiskFull(e) ? "the hub's disk is full; nothing was changed, retry once space is freed"
                            : "the hub's database is unavailable; nothing was changed, retry shortly");
                    return;
                }
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); the hub's log has the details");
            }
        };
    }

    public static void write(Context ctx, int status, JsonNode body) throws JsonProcessingException {
        ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
    }

    public static void error(Context ctx, int status, String message) {
        ObjectNode body = MAPPER.createObjectNode().put("error", message);
        try {
            write(ctx, status, body);
        } catch (JsonProcessingException e) {
            ctx.status(status).result("{\"error\":\"internal error\"}");
        }
    }

    /** The request body as a JSON object; an empty body is an empty object when {@code emptyOk}. */
    public static ObjectNode readObject(Context ctx, boolean emptyOk) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (emptyOk) {
                return MAPPER.createObjectNode();
            }
            throw AdminError.badRequest("the request needs a JSON object body");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw AdminError.badRequest("the body is not valid JSON" + (loc == null ? ""
                    : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw AdminError.badRequest("the body cannot be read");
        }
        if (node == null || !node.isObject()) {
            throw AdminError.badRequest("the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Refuses members not in {@code known}, so a typo ({@code apikey}) is not silently ignored. */
    public static void onlyKnown(ObjectNode node, String where, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw AdminError.badRequest("unknown field " + where + f + "; known fields are " + new java.util.TreeSet<>(known));
            }
        }
    }

    /** A text member, or null when absent or null; anything else than text is an error. */
    public static String text(ObjectNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw AdminError.badRequest(where + field + " must be a string");
        }
        return v.asText();
    }

    public static Boolean bool(ObjectNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw AdminError.badRequest(where + field + " must be true or false");
        }
        return v.asBoolean();
    }

    public static ObjectNode object(ObjectNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw AdminError.badRequest(where + field + " must be an object");
        }
        return (ObjectNode) v;
    }

    /** A whole-number query parameter in [min, max], {@code fallback} when absent; a 400 saying the range otherwise. */
    public static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw AdminError.badRequest(name + " must be a whole number between " + min + " and " + max + "; got '" + v + "'");
        }
    }
}
