package io.gridsync.emulator.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * Registers the /v3 endpoints. Every request passes the same gate, in the order SendGrid's edge
 * applies it: count it, maybe inject a fault, authenticate the bearer key (401), check the scope
 * (403), take one request from the key's rate-limit window (429), then run the handler.
 * Every response carries {@code X-RateLimit-Limit/Remaining/Reset}.
 */
public final class ApiRouter {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

    /** The request attribute holding the authenticated key's scopes (a {@code Set<String>}). */
    public static final String SCOPES_ATTRIBUTE = "sendgrid.scopes";

    private final Javalin app;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final FaultInjector faults;
    private final RequestStats stats;

    public ApiRouter(Javalin app, ApiKeys keys, RateLimiter limiter, FaultInjector faults, RequestStats stats) {
        this.app = app;
        this.keys = keys;
        this.limiter = limiter;
        this.faults = faults;
        this.stats = stats;
    }

    public void get(String path, String scope, Handler h) {
        add(HandlerType.GET, path, scope, h);
    }

    public void post(String path, String scope, Handler h) {
        add(HandlerType.POST, path, scope, h);
    }

    public void put(String path, String scope, Handler h) {
        add(HandlerType.PUT, path, scope, h);
    }

    public void patch(String path, String scope, Handler h) {
        add(HandlerType.PATCH, path, scope, h);
    }

    public void delete(String path, String scope, Handler h) {
        add(HandlerType.DELETE, path, scope, h);
    }

    /**
     * The rate-limit family of a path: the resource after /v3 (and after /v3/marketing), e.g.
     * {@code contacts}, {@code lists}, {@code mail}, {@code templates}.
     */
    public static String familyOf(String path) {
        String[] parts = path.split("/");
        // "", "v3", "marketing", "contacts", ...
        int i = 2;
        if (parts.length > 3 && parts[2].equals("marketing")) {
            i = 3;
        }
        return parts.length > i ? parts[i] : "v3";
    }

    private void add(HandlerType method, String path, String scope, Handler handler) {
        String family = familyOf(path);
        app.addHttpHandler(method, path, ctx -> {
            stats.count(method.name(), path);
            FaultInjector.Fault fault = faults.next();
            if (fault != null && injectBeforeHandling(ctx, fault, family)) {
                return;
            }
            String key = bearerKey(ctx);
            Optional<Set<String>> scopes = keys.scopesOf(key);
            if (scopes.isEmpty()) {
                rateHeaders(ctx, limiter.peek(family, System.currentTimeMillis()));
                throw ApiError.of(401, null, "authorization required");
            }
            if (scope != null && !scopes.get().contains(scope)) {
                rateHeaders(ctx, limiter.peek(family, System.currentTimeMillis()));
                throw ApiError.of(403, null, "access forbidden");
            }
            ctx.attribute(SCOPES_ATTRIBUTE, scopes.get());
            RateLimiter.Decision d = limiter.acquire(key, family, System.currentTimeMillis());
            rateHeaders(ctx, d);
            if (!d.allowed()) {
                stats.rateLimited(method.name(), path);
                throw ApiError.of(429, null, "too many requests");
            }
            handler.handle(ctx);
            if (fault == FaultInjector.Fault.CONNECTION_RESET) {
                // The request took effect but the client never hears so: the hardest case for a client.
                cutConnection(ctx);
            }
        });
    }

    /** Answers an injected fault; returns true when the request must not be handled at all. */
    private boolean injectBeforeHandling(Context ctx, FaultInjector.Fault fault, String family) throws InterruptedException {
        long now = System.currentTimeMillis();
        switch (fault) {
            case ERROR_500 -> {
                rateHeaders(ctx, limiter.peek(family, now));
                Errors.write(ctx, ApiError.of(500, null, "internal server error"));
                return true;
            }
            case ERROR_503 -> {
                rateHeaders(ctx, limiter.peek(family, now));
                Errors.write(ctx, ApiError.of(503, null, "service unavailable"));
                return true;
            }
            case RATE_LIMIT_429 -> {
                RateLimiter.Decision peek = limiter.peek(family, now);
                rateHeaders(ctx, new RateLimiter.Decision(false, peek.limit(), 0, now / 1000 + 1));
                Errors.write(ctx, ApiError.of(429, null, "too many requests"));
                return true;
            }
            case TIMEOUT -> {
                // Answer late, after the client has likely given up; the request still takes effect.
                Thread.sleep(faults.timeoutDelayMillis());
                return false;
            }
            case CONNECTION_RESET -> {
                return false;
            }
            default -> throw new IllegalStateException("unhandled fault " + fault);
        }
    }

    private static void cutConnection(Context ctx) {
        try {
            org.eclipse.jetty.server.Request base = org.eclipse.jetty.server.Request.getBaseRequest(ctx.req());
            if (base != null) {
                base.getHttpChannel().getEndPoint().close();
            }
        } catch (RuntimeException e) {
            log.debug("could not cut connection: {}", e.toString());
        }
    }

    static String bearerKey(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth == null) {
            return null;
        }
        auth = auth.trim();
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = auth.substring(7).trim();
            return key.isEmpty() ? null : key;
        }
        return null;
    }

    private static void rateHeaders(Context ctx, RateLimiter.Decision d) {
        ctx.header("X-RateLimit-Limit", Integer.toString(d.limit()));
        ctx.header("X-RateLimit-Remaining", Integer.toString(d.remaining()));
        ctx.header("X-RateLimit-Reset", Long.toString(d.resetEpochSeconds()));
    }
}
