package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.cluster.Node;
import io.gridsync.server.cluster.Nodes;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;

/** {@code GET /v1/admin/nodes}: the hubs sharing this state database, with their heartbeats (docs/cluster.md). */
public final class NodeRoutes {

    private final Nodes nodes;
    private final Clock clock;

    public NodeRoutes(Nodes nodes, Clock clock) {
        this.nodes = nodes;
        this.clock = clock;
    }

    public void register(Javalin app) {
        app.get("/v1/admin/nodes", AdminJson.guard(this::list));
    }

    private void list(Context ctx) throws Exception {
        long now = clock.millis();
        ObjectNode body = AdminJson.MAPPER.createObjectNode();
        body.put("self", nodes.selfId());
        ArrayNode items = body.putArray("nodes");
        for (Node n : nodes.list()) {
            ObjectNode o = items.addObject();
            o.put("id", n.id());
            o.put("host", n.host());
            o.put("pid", n.pid());
            o.put("version", n.version());
            o.put("status", n.stoppedAt() != null ? "stopped" : n.live(now, Nodes.deadAfterMillis()) ? "live" : "dead");
            o.put("started_at", Instant.ofEpochMilli(n.startedAt()).toString());
            o.put("last_seen", Instant.ofEpochMilli(n.lastSeen()).toString());
            ArrayNode runs = o.putArray("runs"); // the once-per-cluster work it ran at its last heartbeat
            n.runs().forEach(runs::add);
            if (n.stoppedAt() != null) {
                o.put("stopped_at", Instant.ofEpochMilli(n.stoppedAt()).toString());
            }
        }
        AdminJson.write(ctx, 200, body);
    }
}
