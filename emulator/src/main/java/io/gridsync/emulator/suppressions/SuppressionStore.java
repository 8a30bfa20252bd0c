package io.gridsync.emulator.suppressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.state.Persistable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The account's suppressions: the five address lists (bounces, blocks, spam reports, invalid
 * emails, global unsubscribes), one entry per address, and the unsubscribe groups with their
 * members. Addresses are kept as given and matched case-insensitively, as SendGrid does.
 */
public final class SuppressionStore implements Persistable {

    /** The address lists, by their path segment under {@code /v3/suppression}. */
    public enum Kind {
        BOUNCES("bounces"), BLOCKS("blocks"), SPAM_REPORTS("spam_reports"), INVALID_EMAILS("invalid_emails"),
        UNSUBSCRIBES("unsubscribes");

        public final String path;

        Kind(String path) {
            this.path = path;
        }
    }

    /** One address on a list; {@code created} in Unix seconds; the other fields as the list has them (else null). */
    public record Entry(String email, long created, String reason, String status, String ip) {}

    public record Group(long id, String name, String description, boolean isDefault) {}

    private final Map<Kind, Map<String, Entry>> lists = new EnumMap<>(Kind.class);
    private final Map<Long, Group> groups = new TreeMap<>();
    /** group id -> lower-case address -> the address as given */
    private final Map<Long, Map<String, String>> members = new TreeMap<>();
    private long nextGroupId = 1;

    public SuppressionStore() {
        for (Kind k : Kind.values()) {
            lists.put(k, new LinkedHashMap<>());
        }
    }

    /** Adds the address, or renews its entry (a second bounce moves {@code created}). */
    public synchronized void add(Kind kind, Entry e) {
        lists.get(kind).put(key(e.email()), e);
    }

    public synchronized boolean remove(Kind kind, String email) {
        return lists.get(kind).remove(key(email)) != null;
    }

    public synchronized Optional<Entry> get(Kind kind, String email) {
        return Optional.ofNullable(lists.get(kind).get(key(email)));
    }

    /** Entries created in {@code [start, end]} (either may be null: open), newest first, as SendGrid lists them. */
    public synchronized List<Entry> list(Kind kind, Long start, Long end) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : lists.get(kind).values()) {
            if ((start == null || e.created() >= start) && (end == null || e.created() <= end)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingLong(Entry::created).reversed().thenComparing(Entry::email));
        return out;
    }

    public synchronized Group createGroup(String name, String description, boolean isDefault) {
        if (isDefault) {
            groups.replaceAll((id, g) -> new Group(g.id(), g.name(), g.description(), false));
        }
        Group g = new Group(nextGroupId++, name, description, isDefault);
        groups.put(g.id(), g);
        members.put(g.id(), new LinkedHashMap<>());
        return g;
    }

    public synchronized Optional<Group> group(long id) {
        return Optional.ofNullable(groups.get(id));
    }

    public synchronized List<Group> groups() {
        return List.copyOf(groups.values());
    }

    public synchronized boolean deleteGroup(long id) {
        members.remove(id);
        return groups.remove(id) != null;
    }

    public synchronized Group updateGroup(Group g) {
        if (g.isDefault()) {
            groups.replaceAll((id, other) -> new Group(other.id(), other.name(), other.description(), false));
        }
        groups.put(g.id(), g);
        return g;
    }

    /** Adds the address to the group's suppressions; false when there is no such group. */
    public synchronized boolean addMember(long group, String email) {
        Map<String, String> m = members.get(group);
        if (m == null) {
            return false;
        }
        m.putIfAbsent(key(email), email);
        return true;
    }

    public synchronized boolean removeMember(long group, String email) {
        Map<String, String> m = members.get(group);
        return m != null && m.remove(key(email)) != null;
    }

    public synchronized List<String> members(long group) {
        Map<String, String> m = members.get(group);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    public synchronized int memberCount(long group) {
        Map<String, String> m = members.get(group);
        return m == null ? 0 : m.size();
    }

    private static String key(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    @Override
    public String stateKey() {
        return "suppressions";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode root = Json.object();
        for (Kind k : Kind.values()) {
            ArrayNode a = root.putArray(k.path);
            for (Entry e : lists.get(k).values()) {
                ObjectNode o = a.addObject();
                o.put("email", e.email());
                o.put("created", e.created());
                o.put("reason", e.reason());
                o.put("status", e.status());
                o.put("ip", e.ip());
            }
        }
        ArrayNode gs = root.putArray("groups");
        for (Group g : groups.values()) {
            ObjectNode o = gs.addObject();
            o.put("id", g.id());
            o.put("name", g.name());
            o.put("description", g.description());
            o.put("is_default", g.isDefault());
            ArrayNode m = o.putArray("members");
            members.get(g.id()).values().forEach(m::add);
        }
        root.put("next_group_id", nextGroupId);
        return root;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        clearState();
        for (Kind k : Kind.values()) {
            for (JsonNode o : node.path(k.path)) {
                add(k, new Entry(o.path("email").asText(), o.path("created").asLong(), Json.optText(o, "reason"),
                        Json.optText(o, "status"), Json.optText(o, "ip")));
            }
        }
        for (JsonNode o : node.path("groups")) {
            Group g = new Group(o.path("id").asLong(), o.path("name").asText(), o.path("description").asText(),
                    o.path("is_default").asBoolean());
            groups.put(g.id(), g);
            Map<String, String> m = new LinkedHashMap<>();
            o.path("members").forEach(e -> m.put(key(e.asText()), e.asText()));
            members.put(g.id(), m);
        }
        nextGroupId = node.path("next_group_id").asLong(1);
    }

    @Override
    public synchronized void clearState() {
        lists.values().forEach(Map::clear);
        groups.clear();
        members.clear();
        nextGroupId = 1;
    }
}
