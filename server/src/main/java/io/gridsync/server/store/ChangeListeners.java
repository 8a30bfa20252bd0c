package io.gridsync.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who hears of a store's committed changes (the cluster's configuration version, so the other
 * nodes reload). A listener that fails is logged, not thrown: the change is committed already,
 * and the caller must not be told it failed.
 */
public final class ChangeListeners {

    private static final Logger log = LoggerFactory.getLogger(ChangeListeners.class);

    private final String what;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** @param what what changed, for the log: "write keys" */
    public ChangeListeners(String what) {
        this.what = what;
    }

    public void add(Runnable listener) {
        listeners.add(listener);
    }

    /** After a change was committed. */
    public void changed() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                log.warn("a change to the {} was stored, but telling the other nodes failed: {}", what, e.toString());
            }
        }
    }
}
