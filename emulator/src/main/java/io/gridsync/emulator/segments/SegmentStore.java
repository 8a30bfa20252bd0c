package io.gridsync.emulator.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.state.Ids;
import io.gridsync.emulator.state.Persistable;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The account's segments in creation order; names are unique regardless of case. */
public final class SegmentStore implements Persistable {

    private final Map<String, Segment> byId = new LinkedHashMap<>();
    private long nextSeq = 1;

    public synchronized Optional<Segment> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized boolean exists(String id) {
        return byId.containsKey(id);
    }

    public synchronized List<Segment> all() {
        return List.copyOf(byId.values());
    }

    /**
     * The parent list ids of a segment (empty for a segment over all contacts), for code that needs
     * to know which list a segment draws from; empty too when there is no such segment.
     */
    public synchronized List<String> parentListIds(String segmentId) {
        Segment s = byId.get(segmentId);
        return s == null ? List.of() : s.parentListIds();
    }

    /** Adds a segment; the API has checked name, query and parent list. A taken name is a 400. */
    public synchronized Segment add(String name, String queryDsl, List<String> parentListIds) {
        checkUnique(name, null);
        Instant now = now();
        Segment s = new Segment(Ids.uuid(), name, queryDsl, parentListIds, now, now, nextSeq++);
        byId.put(s.id(), s);
        return s;
    }

    /** Changes name and/or query (null leaves it); empty when there is no such segment. */
    public synchronized Optional<Segment> update(String id, String name, String queryDsl) {
        Segment s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = now();
        if (name != null) {
            checkUnique(name, id);
            s = s.withName(name, now);
        }
        if (queryDsl != null) {
            s = s.withQuery(queryDsl, now);
        }
        byId.put(id, s);
        return Optional.of(s);
    }

    public synchronized boolean delete(String id) {
        return byId.remove(id) != null;
    }

    private void checkUnique(String name, String exceptId) {
        for (Segment s : byId.values()) {
            if (!s.id().equals(exceptId) && s.name().equalsIgnoreCase(name)) {
                throw ApiError.badRequest("name", "a segment named '" + s.name() + "' already exists (id " + s.id()
                        + "); segment names are unique regardless of case");
            }
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public String stateKey() {
        return "segments";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode root = Json.object();
        root.put("next_seq", nextSeq);
        ArrayNode segments = root.putArray("segments");
        for (Segment s : byId.values()) {
            ObjectNode o = segments.addObject();
            o.put("id", s.id());
            o.put("name", s.name());
            o.put("query_dsl", s.queryDsl());
            ArrayNode parents = o.putArray("parent_list_ids");
            s.parentListIds().forEach(parents::add);
            o.put("created_at", s.createdAt().toString());
            o.put("updated_at", s.updatedAt().toString());
            o.put("seq", s.seq());
        }
        return root;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        byId.clear();
        long maxSeq = 0;
        for (JsonNode o : node.path("segments")) {
            List<String> parents = new ArrayList<>();
            o.path("parent_list_ids").forEach(p -> parents.add(p.asText()));
            Segment s = new Segment(o.get("id").asText(), o.get("name").asText(), o.get("query_dsl").asText(), parents,
                    Instant.parse(o.get("created_at").asText()), Instant.parse(o.get("updated_at").asText()),
                    o.get("seq").asLong());
            byId.put(s.id(), s);
            maxSeq = Math.max(maxSeq, s.seq());
        }
        nextSeq = Math.max(node.path("next_seq").asLong(1), maxSeq + 1);
    }

    @Override
    public synchronized void clearState() {
        byId.clear();
        nextSeq = 1;
    }
}
