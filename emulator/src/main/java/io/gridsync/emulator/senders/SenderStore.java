package io.gridsync.emulator.senders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.state.Persistable;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The account's Marketing Campaigns senders, each kept as the JSON object SendGrid answers for it, by id. */
public final class SenderStore implements Persistable {

    private final Map<Long, ObjectNode> byId = new TreeMap<>();
    private long nextId = 1;

    /** Stores {@code sender} (without id) under the next id; returns it with the id. */
    public synchronized ObjectNode add(ObjectNode sender) {
        ObjectNode s = sender.deepCopy();
        s.put("id", nextId++);
        byId.put(s.get("id").asLong(), s);
        return s.deepCopy();
    }

    public synchronized Optional<ObjectNode> get(long id) {
        return Optional.ofNullable(byId.get(id)).map(ObjectNode::deepCopy);
    }

    public synchronized void put(ObjectNode sender) {
        byId.put(sender.get("id").asLong(), sender.deepCopy());
    }

    public synchronized boolean delete(long id) {
        return byId.remove(id) != null;
    }

    public synchronized List<ObjectNode> all() {
        return byId.values().stream().map(ObjectNode::deepCopy).toList();
    }

    @Override
    public String stateKey() {
        return "senders";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode root = Json.object();
        ArrayNode a = root.putArray("senders");
        byId.values().forEach(a::add);
        root.put("next_id", nextId);
        return root;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        clearState();
        node.path("senders").forEach(s -> byId.put(s.path("id").asLong(), (ObjectNode) s.deepCopy()));
        nextId = node.path("next_id").asLong(1);
    }

    @Override
    public synchronized void clearState() {
        byId.clear();
        nextId = 1;
    }
}
