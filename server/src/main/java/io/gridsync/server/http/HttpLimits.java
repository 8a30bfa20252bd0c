package io.gridsync.server.http;

import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

/**
 * The numbers that bound every inbound HTTP request before it costs much (docs/collect.md,
 * "Limits of the HTTP server"), and {@link #apply} that sets them on Javalin's Jetty.
 */
public final class HttpLimits {

    /** No route takes a larger body: the webhook's limit; the tracking API's are smaller (32 KB, 500 KB). */
    public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    /** The whole body must arrive within this, counted from when the handler starts reading it. */
    public static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(30);
    /** A connection with nothing to read or write for this long is closed (also while headers trickle in). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Jetty's own floor on a body's data rate while a handler reads it, after its first byte. */
    public static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
    /** Bytes of request bodies held while being received, all routes together; more is answered 503. */
    public static final long BODY_BUFFER_BUDGET = 64L * 1024 * 1024;
    /** Open connections; beyond this Jetty stops accepting until some close (file descriptors stay bounded). */
    public static final int MAX_CONNECTIONS = 4096;
    /** Request threads: bodies are read without holding one, so these only do the work. */
    public static final int MAX_THREADS = 200;
    public static final int MIN_THREADS = 8;

    private HttpLimits() {}

    public static void apply(JavalinConfig cfg) {
        cfg.http.maxRequestSize = MAX_BODY_BYTES;
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, 60_000);
        threads.setName("gridsync-http");
        cfg.jetty.threadPool = threads;
        cfg.jetty.modifyHttpConfiguration(http -> {
            http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            http.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
            // Jetty would hold a request until its first body byte (or the idle timeout): a wrong
            // write key or a missing signature is then answered only after 30 s, not at once
            http.setDelayDispatchUntilContent(false);
        });
        cfg.jetty.modifyServer(server -> {
            server.addBean(new ConnectionLimit(MAX_CONNECTIONS, server));
            ConnectionCut.install(server);
        });
        // a route that reads its body the ordinary way (ctx.body()) and has no handling of its own
        cfg.router.mount(routes -> routes.exception(BodyRefused.class, (e, ctx) -> {
            ConnectionCut.afterAnswer(ctx.req(), ctx.res());
            ctx.status(e.status).json(Map.of("error", e.getMessage()));
        }));
        cfg.jetty.modifyServletContextHandler(context -> context.addFilter(new FilterHolder(new BodyCeilingFilter(MAX_BODY_BYTES)), "/*",
                EnumSet.of(DispatcherType.REQUEST)));
    }

    /** 8 MB, 500 KB (512,000 bytes), 32 KB or a byte count: how a limit is named in errors. */
    static String describe(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }
}
