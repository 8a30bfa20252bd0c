package io.gridsync.emulator.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.state.Persistable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every message Mail Send accepted, most recent first, bounded: beyond {@link #capacity()} the oldest
 * are forgotten, so an emulator that runs for days keeps its memory and its state file in check.
 */
public final class SentMailLog implements Persistable {

    public static final int DEFAULT_CAPACITY = 100_000;

    /** One page of the log and how many messages matched in all. */
    public record Page(List<SentMessage> messages, int total) {}

    private final int capacity;
    private final Deque<SentMessage> newestFirst = new ArrayDeque<>();
    private final Map<String, SentMessage> byId = new HashMap<>();

    public SentMailLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the sent mail log must keep at least one message");
        }
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    public synchronized void add(SentMessage m) {
        newestFirst.addFirst(m);
        byId.put(m.messageId(), m);
        while (newestFirst.size() > capacity) {
            byId.remove(newestFirst.removeLast().messageId());
        }
    }

    public synchronized Optional<SentMessage> byId(String messageId) {
        return Optional.ofNullable(byId.get(messageId));
    }

    public synchronized int size() {
        return newestFirst.size();
    }

    /** Forgets every message sent to {@code address} (to, cc or bcc; any case): a recipient erasure. Returns how many. */
    public synchronized int removeAddressedTo(String address) {
        int removed = 0;
        for (java.util.Iterator<SentMessage> it = newestFirst.iterator(); it.hasNext(); ) {
            SentMessage m = it.next();
            if (addressedTo(m, address)) {
                it.remove();
                byId.remove(m.messageId());
                removed++;
            }
        }
        return removed;
    }

    private static boolean addressedTo(SentMessage m, String address) {
        if (m.personalizations() == null) {
            return false;
        }
        for (com.fasterxml.jackson.databind.JsonNode p : m.personalizations()) {
            for (String field : List.of("to", "cc", "bcc")) {
                for (com.fasterxml.jackson.databind.JsonNode r : p.path(field)) {
                    if (r.path("email").asText("").equalsIgnoreCase(address)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Messages matching {@code filter}, most recent first, skipping {@code offset}, at most {@code limit}. */
    public synchronized Page page(Predicate<SentMessage> filter, int offset, int limit) {
        List<SentMessage> out = new ArrayList<>();
        int matched = 0;
        for (SentMessage m : newestFirst) {
            if (!filter.test(m)) {
                continue;
            }
            if (matched >= offset && out.size() < limit) {
                out.add(m);
            }
            matched++;
        }
        return new Page(out, matched);
    }

    @Override
    public String stateKey() {
        return "sent_mail";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("messages");
        // oldest first, so loading replays the order
        for (Iterator<SentMessage> it = newestFirst.descendingIterator(); it.hasNext(); ) {
            list.add(it.next().toJson());
        }
        return out;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        node.path("messages").forEach(m -> add(SentMessage.fromJson(m)));
    }

    @Override
    public synchronized void clearState() {
        newestFirst.clear();
        byId.clear();
    }
}
