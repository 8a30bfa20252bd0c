package io.gridsync.server.cluster;

import io.gridsync.server.health.Supervisor;
import io.gridsync.server.health.Worker;
import io.gridsync.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One configuration for every node: each store of configuration that nodes cache (integrations and
 * their subscriptions, write keys, webhook sources, scheduled syncs) {@link #bump}s a version in
 * the database after a commit that changed something; every node {@link #poll}s it (each second,
 * and before a turn of work that must not judge by a stale copy) and, when it moved, tells its
 * listeners to reload what they cache. Calls that change nothing (a sign-in, a preview, a dry run,
 * a replay) leave it alone, so the nodes do not reload for them. A node's own changes need no
 * reload (its stores update themselves), so its own bump is not taken for someone else's.
 */
public final class ConfigVersion {

    private static final Logger log = LoggerFactory.getLogger(ConfigVersion.class);
    static final Duration POLL = Duration.ofSeconds(1);

    private final Database db;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long seen;

    public ConfigVersion(Database db) {
        this.db = db;
        this.seen = read();
    }

    /** Runs {@code listener} when another node changed the configuration. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * After a configuration change committed, before its caller answers: whoever saw the change
     * succeed finds it in force on every node at their next poll.
     */
    public void bump() {
        long v = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE config_version SET version = version + 1 WHERE id = 1")) {
                ps.executeUpdate();
            }
            return read(c);
        });
        synchronized (this) {
            if (v == seen + 1) {
                seen = v; // only ours since the last look: nothing to reload
            }
        }
    }

    /** Reads the version; when another node moved it, the listeners reload before this returns. True when they did. */
    public synchronized boolean poll() {
        // synchronized through the reload: a caller that polls while another reloads waits for the fresh copy
        long v = read();
        if (v == seen) {
            return false;
        }
        seen = v;
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                log.warn("reloading the configuration after a change on another node failed (retrying at the next change): {}", e.toString());
            }
        }
        return true;
    }

    /** Polls every {@link #POLL} on a worker of {@code supervisor}'s (component "config-poll"). */
    public void start(Supervisor supervisor) {
        supervisor.start("config-poll", POLL.multipliedBy(30), (Worker w) -> {
            while (w.running()) {
                w.beat();
                poll();
                if (!w.sleep(POLL.toMillis())) {
                    return;
                }
            }
        });
    }

    private long read() {
        return db.query(this::read);
    }

    private long read(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM config_version WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
