package io.gridsync.emulator.contacts;

import io.javalin.http.Context;

/**
 * The emulator's own address as the client reached it ({@code http://host:port} from the Host
 * header), so the absolute URLs it hands out (errors files, export downloads, {@code _metadata})
 * work from wherever the client is.
 */
public final class BaseUrl {

    private BaseUrl() {}

    public static String of(Context ctx) {
        String host = ctx.header("Host");
        if (host == null || host.isBlank()) {
            host = ctx.req().getLocalName() + ":" + ctx.req().getLocalPort();
        }
        return ctx.scheme() + "://" + host;
    }
}
