package io.gridsync.emulator.singlesends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.state.Persistable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;

/** The account's Single Sends in creation order. */
public final class SingleSendStore implements Persistable {

    private final Map<String, SingleSend> byId = new LinkedHashMap<>();
    private long nextSeq = 1;

    public synchronized Optional<SingleSend> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized List<SingleSend> all() {
        return List.copyOf(byId.values());
    }

    /**
     * Adds the Single Send {@code build} makes from the next creation sequence number, in one step,
     * so the store's order is always sequence order (which paging relies on).
     */
    synchronized SingleSend add(LongFunction<SingleSend> build) {
        SingleSend s = build.apply(nextSeq);
        byId.put(s.id(), s);
        nextSeq++;
        return s;
    }

    /** Replaces a Single Send with {@code change} applied to it; empty when there is no such one. */
    synchronized Optional<SingleSend> update(String id, UnaryOperator<SingleSend> change) {
        SingleSend s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        SingleSend changed = change.apply(s);
        byId.put(id, changed);
        return Optional.of(changed);
    }

    public synchronized boolean delete(String id) {
        return byId.remove(id) != null;
    }

    @Override
    public String stateKey() {
        return "singlesends";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode root = Json.object();
        root.put("next_seq", nextSeq);
        ArrayNode all = root.putArray("singlesends");
        for (SingleSend s : byId.values()) {
            ObjectNode o = all.addObject();
            o.put("id", s.id());
            o.put("name", s.name());
            o.put("status", s.status());
            s.categories().forEach(o.putArray("categories")::add);
            o.put("send_at", s.sendAt());
            ObjectNode to = o.putObject("send_to");
            ArrayNode lists = to.putArray("list_ids");
            s.listIds().forEach(lists::add);
            ArrayNode segments = to.putArray("segment_ids");
            s.segmentIds().forEach(segments::add);
            to.put("all", s.sendToAll());
            o.set("email_config", s.emailConfig());
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
        for (JsonNode o : node.path("singlesends")) {
            SingleSend s = new SingleSend(o.get("id").asText(), o.get("name").asText(), o.get("status").asText(),
                    strings(o.path("categories")), o.path("send_at").isTextual() ? o.get("send_at").asText() : null,
                    strings(o.path("send_to").path("list_ids")), strings(o.path("send_to").path("segment_ids")),
                    o.path("send_to").path("all").asBoolean(false), (ObjectNode) o.get("email_config"),
                    Instant.parse(o.get("created_at").asText()), Instant.parse(o.get("updated_at").asText()),
                    o.get("seq").asLong());
            byId.put(s.id(), s);
            maxSeq = Math.max(maxSeq, s.seq());
        }
        nextSeq = Math.max(node.path("next_seq").asLong(1), maxSeq + 1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Override
    public synchronized void clearState() {
        byId.clear();
        nextSeq = 1;
    }
}
