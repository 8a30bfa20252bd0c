package io.gridsync.server.router;

import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.StoredIntegration;

import java.util.ArrayList;
import java.util.List;

/**
 * The enabled integrations of the store, as the router needs them; rebuilt only when the store
 * changed (its version moved), since unsealing keys on every router turn would be wasted work.
 */
public final class StoredTargets implements Targets {

    private final IntegrationStore store;
    private long version = -1;
    private List<Target> cached = List.of();

    public StoredTargets(IntegrationStore store) {
        this.store = store;
    }

    @Override
    public synchronized List<Target> enabled() {
        long v = store.version();
        if (v != version) {
            List<Target> out = new ArrayList<>();
            for (StoredIntegration s : store.list()) {
                if (s.enabled()) {
                    out.add(new Target(s.id(), store.toCore(s.id()), store.apiKey(s.id())));
                }
            }
            cached = List.copyOf(out);
            version = v;
        }
        return cached;
    }
}
