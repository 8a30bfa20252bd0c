package io.gridsync.emulator.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.FaultInjector;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.http.RateLimiter;
import io.gridsync.emulator.http.RequestStats;
import io.gridsync.emulator.state.EmulatorState;
import io.javalin.Javalin;

import java.util.Map;

/**
 * Endpoints outside /v3 for tests and users: request counts, faults and rate limits at runtime,
 * and a reset to a fresh account. No API key is needed; the emulator listens on loopback only.
 */
public final class InspectionApi {

    private final RequestStats stats;
    private final FaultInjector faults;
    private final RateLimiter limiter;
    private final EmulatorState state;

    public InspectionApi(RequestStats stats, FaultInjector faults, RateLimiter limiter, EmulatorState state) {
        this.stats = stats;
        this.faults = faults;
        this.limiter = limiter;
        this.state = state;
    }

    public void register(Javalin app) {
        app.get("/_emulator/stats", ctx -> Json.write(ctx, 200, stats.toJson()));
        app.delete("/_emulator/stats", ctx -> {
            stats.reset();
            ctx.status(204);
        });
        app.post("/_emulator/reset", ctx -> {
            state.clear();
            stats.reset();
            limiter.reset();
            faults.clear();
            ctx.status(204);
        });
        app.get("/_emulator/faults", ctx -> Json.write(ctx, 200, faults.toJson()));
        app.put("/_emulator/faults", ctx -> {
            faults.apply(Json.bodyObject(ctx));
            Json.write(ctx, 200, faults.toJson());
        });
        app.delete("/_emulator/faults", ctx -> {
            faults.clear();
            Json.write(ctx, 200, faults.toJson());
        });
        app.get("/_emulator/rate-limits", ctx -> Json.write(ctx, 200, rateLimitsJson()));
        app.put("/_emulator/rate-limits", ctx -> {
            ObjectNode body = Json.bodyObject(ctx);
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) body::fields) {
                RateLimiter.Limit limit = parseLimit(e.getKey(), e.getValue());
                if (e.getKey().equals("default")) {
                    limiter.setDefault(limit);
                } else {
                    limiter.setLimit(e.getKey(), limit);
                }
            }
            Json.write(ctx, 200, rateLimitsJson());
        });
    }

    private static RateLimiter.Limit parseLimit(String family, JsonNode v) {
        if (!v.isObject() || !v.path("requests").canConvertToInt() || !v.path("window_seconds").canConvertToInt()) {
            throw ApiError.badRequest(family, "a rate limit is {\"requests\": N, \"window_seconds\": S}");
        }
        try {
            return new RateLimiter.Limit(v.get("requests").asInt(), v.get("window_seconds").asInt());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(family, e.getMessage());
        }
    }

    private ObjectNode rateLimitsJson() {
        ObjectNode out = Json.object();
        put(out, "default", limiter.defaultLimit());
        limiter.limits().forEach((family, limit) -> put(out, family, limit));
        return out;
    }

    private static void put(ObjectNode out, String name, RateLimiter.Limit limit) {
        ObjectNode o = out.putObject(name);
        o.put("requests", limit.requests());
        o.put("window_seconds", limit.windowSeconds());
    }
}
