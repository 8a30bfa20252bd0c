package io.gridsync.emulator.http;

import io.javalin.http.Context;

/** Integer query parameters of the v3 endpoints that page with {@code limit}/{@code offset} or filter by time. */
public final class QueryParams {

    private QueryParams() {}

    /** The parameter as an integer of at least {@code min}, or null when absent; anything else is a 400 naming it. */
    public static Long integer(Context ctx, String name, long min) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            long v = Long.parseLong(raw.trim());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest(name, name + " must be an integer of at least " + min + ", not '" + raw + "'");
    }
}
