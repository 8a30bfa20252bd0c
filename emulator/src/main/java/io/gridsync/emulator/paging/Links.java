package io.gridsync.emulator.paging;

import io.javalin.http.Context;

/**
 * Absolute URLs for {@code _metadata} links. SendGrid links to https://api.sendgrid.com; the
 * emulator links to the scheme and host the request came in on, so a client can follow them.
 */
public final class Links {

    private Links() {}

    public static String absolute(Context ctx, String path) {
        String host = ctx.host();
        if (host == null || host.isBlank()) {
            host = "localhost";
        }
        return ctx.scheme() + "://" + host + path;
    }
}
