package io.gridsync.server.admin;

import io.gridsync.server.store.Database;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.health.ComponentStatus;
import io.gridsync.server.health.DiskSpace;
import io.gridsync.server.health.Health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /healthz}: each component's status (the state database, the journal, every
 * background worker, free disk space), 200 when all are ok and 503 naming those that are not; and
 * {@code GET /metrics} (Prometheus text). Both without auth: load balancers and Prometheus scrape
 * without credentials, and neither answer holds a secret or a customer's data.
 */
final class HealthRoutes {

    private static final org.slf4j.Logger DB_LOG = org.slf4j.LoggerFactory.getLogger(HealthRoutes.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Health health;
    private final DiskSpace disk;
    private final PrometheusMeterRegistry registry;

    HealthRoutes(Health health, DiskSpace disk, PrometheusMeterRegistry registry) {
        this.health = health;
        this.disk = disk;
        this.registry = registry;
    }

    void register(Javalin app) {
        app.get("/healthz", AdminJson.guard(this::health));
        app.get("/metrics", AdminJson.guard(this::metrics));
    }

    /** The state database answers a trivial query: the component "database". */
    static ComponentStatus database(Database db) {
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            return rs.next() && rs.getInt(1) == 1 ? ComponentStatus.OK
                    : ComponentStatus.of("failing", "SELECT 1 answered no row", System.currentTimeMillis());
        } catch (Exception e) {
            DB_LOG.warn("health check: the state database does not answer: {}", e.toString());
            return ComponentStatus.of("failing", "the state database does not answer (the hub's log has the details)",
                    System.currentTimeMillis());
        }
    }

    private void health(Context ctx) throws Exception {
        Map<String, ComponentStatus> all = health.check();
        ObjectNode body = AdminJson.MAPPER.createObjectNode();
        List<String> failing = new ArrayList<>();
        all.forEach((name, s) -> {
            if (!s.ok()) {
                failing.add(name);
            }
        });
        body.put("status", failing.isEmpty() ? "ok" : "unavailable");
        if (!failing.isEmpty()) {
            body.put("message", "not ok: " + String.join(", ", failing));
        }
        ObjectNode components = body.putObject("components");
        all.forEach((name, s) -> {
            ObjectNode c = components.putObject(name).put("status", s.state());
            if (s.detail() != null) {
                c.put("detail", s.detail());
            }
            if (s.since() != 0) {
                c.put("since", Instant.ofEpochMilli(s.since()).toString());
            }
        });
        if (disk != null) {
            body.putObject("disk").put("path", disk.dir().toAbsolutePath().toString())
                    .put("free_bytes", disk.freeBytes()).put("total_bytes", disk.totalBytes());
        }
        AdminJson.write(ctx, failing.isEmpty() ? 200 : 503, body);
    }

    private void metrics(Context ctx) {
        ctx.status(200).contentType(PROMETHEUS_TEXT).result(registry.scrape());
    }
}
