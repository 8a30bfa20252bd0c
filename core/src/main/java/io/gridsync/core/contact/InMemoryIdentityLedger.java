package io.gridsync.core.contact;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@link IdentityLedger} in memory: for tests and one-shot runs. */
public final class InMemoryIdentityLedger implements IdentityLedger {

    /** "type:value" -> the full identifier set of that contact (shared by all its keys). */
    private final Map<String, Map<String, String>> byIdentifier = new HashMap<>();

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
}
