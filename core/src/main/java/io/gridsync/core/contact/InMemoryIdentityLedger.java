package io.gridsync.core.contact;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@link IdentityLedger} in memory: for tests and one-shot runs. */
public final class InMemoryIdentityLedger implements IdentityLedger {

    /** "type:value" -> the full identifier set of that contact (shared by all its keys). */
    private final Map<String, Map<String, String>> byIdentifier = new HashMap<>();
    private final Map<String, Map<String, String>> byPerson = new HashMap<>();

    @Override
    public synchronized Map<String, String> known(Map<String, String> identifiers) {
        Map<String, String> out = new LinkedHashMap<>();
        identifiers.forEach((type, value) -> {
            Map<String, String> set = byIdentifier.get(type + ":" + value);
            if (set != null) {
                set.forEach(out::putIfAbsent);
            }
        });
        return out;
    }

    @Override
    public synchronized void record(Map<String, String> identifiers) {
        Map<String, String> merged = new LinkedHashMap<>(known(identifiers));
        merged.putAll(identifiers);
        Map<String, String> shared = Map.copyOf(merged);
        shared.forEach((type, value) -> byIdentifier.put(type + ":" + value, shared));
    }

    @Override
    public synchronized Map<String, String> ofPerson(String personKey) {
        Map<String, String> ids = byPerson.get(personKey);
        return ids == null ? Map.of() : known(ids);
    }

    @Override
    public synchronized void recordPerson(String personKey, Map<String, String> identifiers) {
        if (!identifiers.isEmpty()) {
            byPerson.put(personKey, Map.copyOf(identifiers));
        }
    }
}
