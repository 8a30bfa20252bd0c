package io.gridsync.server.admin;

import io.gridsync.server.store.Database;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * {@code GET /healthz} (the database answers a trivial query) and {@code GET /metrics} (Prometheus
 * text). Both without auth: load balancers and Prometheus scrape without credentials, and neither
 * answer holds a secret or a customer's data. The details of a database failure go to the log,
 * not to the anonymous caller.
 */
final class HealthRoutes {

    private static final Logger log = LoggerFactory.getLogger(HealthRoutes.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Database db;
    private final PrometheusMeterRegistry registry;

    HealthRoutes(Database db, PrometheusMeterRegistry registry) {
        this.db = db;
        this.registry = registry;
    }

    void register(Javalin app) {
        app.get("/healthz", AdminJson.guard(this::health));
        app.get("/metrics", AdminJson.guard(this::metrics));
    }

    private void health(Context ctx) throws Exception {
        boolean ok;
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            ok = rs.next() && rs.getInt(1) == 1;
        } catch (Exception e) {
            log.warn("health check: the state database does not answer: {}", e.toString());
            ok = false;
        }
        AdminJson.write(ctx, ok ? 200 : 503, AdminJson.MAPPER.createObjectNode()
                .put("status", ok ? "ok" : "unavailable").put("database", ok ? "ok" : "unavailable"));
    }

    private void metrics(Context ctx) {
        ctx.status(200).contentType(PROMETHEUS_TEXT).result(registry.scrape());
    }
}
