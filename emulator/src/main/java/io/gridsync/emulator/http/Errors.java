package io.gridsync.emulator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the emulator answers is in SendGrid's shape, whatever raised it: a handler's
 * {@link ApiError}, Javalin's own 404/405/413, or an unexpected exception (a 500 that is logged).
 */
public final class Errors {

    private static final Logger log = LoggerFactory.getLogger(Errors.class);

    /** URLs longer than this get a 414, as SendGrid's front end refuses them (about 8 KB). */
    public static final int MAX_URL_LENGTH = 8192;

    private Errors() {}

    public static void install(Javalin app) {
        app.exception(ApiError.class, (e, ctx) -> write(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> write(ctx, ApiError.of(e.getStatus(), null, messageFor(e))));
        app.exception(Exception.class, (e, ctx) -> {
            if (e instanceof InterruptedException) {
                // the emulator is stopping while a delayed (fault-injected) answer waits
                log.debug("request interrupted by shutdown: {} {}", ctx.method(), ctx.path());
                ctx.status(503);
                return;
            }
            log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, ApiError.of(500, null, "internal server error"));
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
                write(ctx, ApiError.of(404, null, "resource not found: " + ctx.method() + " " + ctx.path()));
            }
        });
        app.before(ctx -> {
            String query = ctx.queryString();
            int length = ctx.path().length() + (query == null ? 0 : query.length() + 1);
            if (length > MAX_URL_LENGTH) {
                throw ApiError.of(414, null, "request URI too long: " + length + " characters, the limit is "
                        + MAX_URL_LENGTH + "; send fewer ids per request");
            }
        });
    }

    private static String messageFor(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> "resource not found";
            case 405 -> "method not allowed";
            case 413 -> "request body too large";
            default -> e.getMessage() == null ? "HTTP " + e.getStatus() : e.getMessage();
        };
    }

    public static void write(Context ctx, ApiError e) {
        ObjectNode body = Json.object();
        ArrayNode errors = body.putArray("errors");
        for (ApiError.FieldError fe : e.errors()) {
            ObjectNode o = errors.addObject();
            if (fe.field() == null) {
                o.putNull("field");
            } else {
                o.put("field", fe.field());
            }
            o.put("message", fe.message());
        }
        Json.write(ctx, e.status(), body);
    }
}
