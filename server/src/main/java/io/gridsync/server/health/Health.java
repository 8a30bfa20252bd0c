package io.gridsync.server.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What {@code /healthz} reports: each component's status, asked when the check runs. The hub is
 * healthy when every component is; otherwise the answer is 503 and names the ones that are not.
 */
public final class Health {

    private final Map<String, Supplier<ComponentStatus>> components = new ConcurrentHashMap<>();

    /** Adds (or replaces) a component; {@code check} must be cheap and must not block. */
    public void register(String name, Supplier<ComponentStatus> check) {
        components.put(name, check);
    }

    public void unregister(String name) {
        components.remove(name);
    }

    /** Every component's status, by name. A check that throws reports its component as failing. */
    public Map<String, ComponentStatus> check() {
        Map<String, ComponentStatus> out = new TreeMap<>();
        components.forEach((name, check) -> {
            ComponentStatus s;
            try {
                s = check.get();
            } catch (RuntimeException e) {
                s = ComponentStatus.of("failing", "its health check failed: " + e.getMessage(), System.currentTimeMillis());
            }
            out.put(name, s);
        });
        return out;
    }
}
