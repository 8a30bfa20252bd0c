package io.gridsync.server.cors;

import io.javalin.http.Context;

/**
 * CORS for the routes browsers call from other origins (collection, analytics.js's settings).
 * Every answer to a request with an Origin echoes it, refusals included, so the page's script can
 * read why it was refused; whether the origin may use the write key is checked by the route, once
 * it knows the key ({@link AllowedOrigins}). A preflight carries no write key, so it is answered
 * for any origin; the request that follows is the one refused.
 */
public final class Cors {

    /** What analytics.js and Segment's other browser libraries send. */
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Content-Encoding, X-Retry-Count";
    /** Chromium caps it at 2 h, Firefox at 24 h. */
    static final String MAX_AGE_SECONDS = "86400";

    private Cors() {}

    /** The request's Origin header, or null (a server-side client). */
    public static String origin(Context ctx) {
        String o = ctx.header("Origin");
        return o == null || o.isBlank() ? null : o.trim();
    }

    /** Lets the calling page read this answer. */
    public static void allow(Context ctx) {
        String origin = origin(ctx);
        if (origin != null) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        }
    }

    /** Answers an {@code OPTIONS} preflight for a route taking {@code methods}. */
    public static void preflight(Context ctx, String methods) {
        allow(ctx);
        ctx.header("Access-Control-Allow-Methods", methods);
        ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
        ctx.status(204);
    }

    /** The 403 message for an origin the write key does not allow. */
    public static String refusal(String origin) {
        return "the origin " + origin + " may not use this write key; add it to the key's allowed_origins "
                + "(PATCH /v1/admin/write-keys/{id})";
    }
}
