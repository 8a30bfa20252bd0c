package io.gridsync.server.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.journal.RawMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Drops later messages of erased people: a message carrying an identifier whose hash is on the
 * suppression list is acknowledged (200) and not stored, counted in
 * {@code gridsync_erased_messages_dropped_total}. The list is held in memory as hashes, reloaded
 * when this node records an erasure and every few seconds (erasures recorded by other nodes).
 * Costs nothing while the list is empty; otherwise each message is parsed once more.
 */
public final class Suppression implements Predicate<RawMessage> {

    private static final ObjectMapper M = new ObjectMapper();

    private final ErasureStore store;
    private final IdentifierHash hash;
    private final Counter dropped;
    private final Counter droppedEvents;
    private volatile Set<String> hashes = Set.of();

    public Suppression(ErasureStore store, IdentifierHash hash, MeterRegistry registry) {
        this.store = store;
        this.hash = hash;
        this.dropped = Counter.builder("gridsync.erased.messages.dropped")
                .description("messages acknowledged and not stored: they carry an identifier of an erased person").register(registry);
        this.droppedEvents = Counter.builder("gridsync.erased.events.dropped")
                .description("captured webhook events acknowledged and not stored: their email is an erased person's").register(registry);
        reload();
    }

    public void reload() {
        hashes = Set.copyOf(store.suppressedHashes());
    }

    /** True when a captured webhook event's {@code email} is an erased person's: counted, and its caller drops the event. */
    public boolean isErasedEmail(String email) {
        Set<String> h = hashes;
        if (!h.isEmpty() && email != null && !email.isBlank() && h.contains(hash.of(new Identifier("email", email)))) {
            droppedEvents.increment();
            return true;
        }
        return false;
    }

    /** True when the message is an erased person's: it is then counted, and its caller drops it. */
    @Override
    public boolean test(RawMessage m) {
        Set<String> h = hashes;
        if (h.isEmpty()) {
            return false;
        }
        JsonNode node;
        try {
            node = M.readTree(m.json());
        } catch (IOException e) {
            return false; // checked already by the collection API; cannot happen
        }
        for (Identifier id : MessageIdentifiers.of(node)) {
            if (h.contains(hash.of(id))) {
                dropped.increment();
                return true;
            }
        }
        return false;
    }
}
