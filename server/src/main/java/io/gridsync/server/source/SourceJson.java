package io.gridsync.server.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Runs and sources as JSON, the same for the admin API and {@code ./gridsync source sync}. Never an API key. */
public final class SourceJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private SourceJson() {}

    public static ObjectNode run(SourceRun r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", r.id());
        o.put("source", r.source());
        o.put("trigger", r.trigger());
        o.put("status", r.status().wire());
        o.put("message", r.message());
        o.put("started_at", r.startedAt().toString());
        if (r.finishedAt() != null) {
            o.put("finished_at", r.finishedAt().toString());
            o.put("seconds", Duration.between(r.startedAt(), r.finishedAt()).toMillis() / 1000.0);
        } else {
            o.putNull("finished_at");
        }
        counts(o.putObject("rows"), r.rows());
        counts(o.putObject("deleted"), r.deleted());
        if (r.error() != null) {
            o.put("error", r.error());
        } else {
            o.putNull("error");
        }
        ArrayNode missing = o.putArray("missing_scopes");
        r.missingScopes().forEach(missing::add);
        return o;
    }

    public static ObjectNode source(Source s, Optional<SourceRun> last, Optional<Instant> next) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", s.name());
        o.put("schema", s.schema());
        o.put("endpoint", s.endpoint());
        o.put("interval", Intervals.format(s.interval()));
        o.put("enabled", s.enabled());
        ArrayNode tables = o.putArray("tables");
        ArrayNode collections = o.putArray("collections");
        for (MirroredCollection c : SourceSync.COLLECTIONS) {
            tables.add(c.name());
            ObjectNode json = collections.addObject();
            json.put("name", c.name());
            json.put("enabled", s.syncs(c.name()));
            json.put("sync_mode", c.syncMode());
            ArrayNode scopes = json.putArray("scopes");
            new java.util.TreeSet<>(c.scopes()).forEach(scopes::add);
        }
        if (next.isPresent()) {
            o.put("next_run_at", next.get().toString());
        } else {
            o.putNull("next_run_at");
        }
        if (last.isPresent()) {
            o.set("last_run", run(last.get()));
        } else {
            o.putNull("last_run");
        }
        return o;
    }

    private static void counts(ObjectNode into, Map<String, Long> counts) {
        counts.forEach(into::put);
    }
}
