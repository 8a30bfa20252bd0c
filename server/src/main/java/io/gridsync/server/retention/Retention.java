package io.gridsync.server.retention;

import io.gridsync.server.forward.Forwarder;
import io.gridsync.server.health.Supervisor;
import io.gridsync.server.health.Worker;
import io.gridsync.server.store.Database;
import io.gridsync.server.store.Dialect;
import io.gridsync.server.warehouse.Warehouse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps the hub's state bounded: on its own thread, every {@link RetentionSettings#passInterval},
 * removes what is finished and older than its retention (see each {@link Purge}), in chunks of
 * {@link #CHUNK} rows per transaction with a pause after each as long as the chunk took, so the
 * journal's writer keeps at least half of the database's time. Then, on SQLite, gives the freed
 * pages back to the file system. On PostgreSQL one node of a cluster runs it (an advisory lock).
 * Pending, retrying and dead work is never removed.
 */
public final class Retention implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    static final int CHUNK = 2_000;
    private static final long MIN_PAUSE_MS = 20;
    /** pg_try_advisory_lock key of the cluster's one retention pass ("gridsync" "retention"). */
    private static final long ADVISORY_LOCK = 0x67726964_72657401L;

    private final Database db;
    private final RetentionSettings settings;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final List<Purge> purges = new ArrayList<>();
    private final SqliteSpace space;
    private Worker worker;
    private final Object wakeup = new Object();
    private volatile boolean closed;

    /**
     * @param warehouse        the warehouse holding webhook quarantine (null: none)
     * @param quarantineSchemas the warehouse schemas of the webhook sources
     */
    public Retention(Database db, RetentionSettings settings, Warehouse warehouse, Supplier<List<String>> quarantineSchemas,
                     Clock clock, MeterRegistry metrics) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        // finished jobs before messages: a message goes once its last job has
        purges.add(new FinishedJobsPurge(db, settings.journal()));
        purges.add(new JournalPurge(db, settings.journal()));
        purges.add(TablePurge.sourceRuns(db, settings.history()));
        purges.add(TablePurge.audienceRuns(db, settings.history()));
        purges.add(TablePurge.deliveredForwards(db, Forwarder.KEEP_DELIVERED));
        if (warehouse != null) {
            purges.add(new QuarantinePurge(warehouse, quarantineSchemas, settings.history()));
        }
        this.space = db.dialect() == Dialect.SQLITE ? SqliteSpace.open(db) : null;
        for (String table : List.of("messages", "jobs", "attempts", "source_runs", "audience_runs", "forward_outbox", "_quarantine")) {
            counter(table); // present at 0 from the start, so a rate can be taken
        }
    }

    /** Runs the passes on a worker of {@code supervisor}'s (component "retention"). */
    public void start(Supervisor supervisor) {
        log.info("retention: delivered messages, their jobs and attempts kept {}; runs and webhook quarantine kept {}; "
                + "a pass every {}", human(settings.journal()), human(settings.history()), human(settings.passInterval()));
        worker = supervisor.start("retention", null, self -> run());
    }

    @Override
    public void run() {
        long failures = 0;
        while (!closed) {
            long waitMs = settings.passInterval().toMillis();
            try {
                runOnce();
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database is away or full; nothing is lost by waiting: the next pass removes what this one did not
                failures++;
                if (failures == 1) {
                    log.error("retention pass failed; retrying with backoff", e);
                } else {
                    log.warn("retention pass failed again ({} in a row): {}", failures, e.toString());
                }
                waitMs = Math.min(Duration.ofMinutes(10).toMillis(), 1_000L << Math.min(10, failures));
            }
            synchronized (wakeup) {
                if (!closed) {
                    try {
                        wakeup.wait(waitMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** One pass over everything; returns the rows removed per table (tests call it directly). */
    public synchronized Map<String, Long> runOnce() throws InterruptedException {
        long started = System.nanoTime();
        Map<String, Long> removed = new LinkedHashMap<>();
        long pages;
        try (ClusterLock lock = ClusterLock.take(db)) {
            if (!lock.held()) {
                log.debug("retention: another node runs this pass");
                return removed;
            }
            long now = clock.millis();
            for (Purge p : purges) {
                p.startPass();
                Removed r;
                do {
                    if (closed) {
                        return removed;
                    }
                    long chunkStart = System.nanoTime();
                    r = p.removeChunk(now, CHUNK);
                    r.rows().forEach((table, n) -> {
                        removed.merge(table, n, Long::sum);
                        counter(table).increment(n);
                    });
                    if (r.more()) {
                        pause(chunkStart);
                    }
                } while (r.more());
            }
            pages = space == null || removed.values().stream().allMatch(n -> n == 0) ? 0 : space.releaseFreePages(this::pauseMin);
        }
        long total = removed.values().stream().mapToLong(Long::longValue).sum();
        if (total > 0) {
            log.info("retention: removed {} rows ({}){} in {} ms", total, describe(removed),
                    pages > 0 ? ", gave " + (pages * 4) + " KiB back to the file system" : "", (System.nanoTime() - started) / 1_000_000);
        }
        return removed;
    }

    /** Waits as long as the chunk held the database, at least a little: the writers get their turn. */
    private void pause(long chunkStartNanos) throws InterruptedException {
        long took = (System.nanoTime() - chunkStartNanos) / 1_000_000;
        Thread.sleep(Math.max(MIN_PAUSE_MS, took));
    }

    private void pauseMin() throws InterruptedException {
        Thread.sleep(MIN_PAUSE_MS);
    }

    private Counter counter(String table) {
        return Counter.builder("gridsync_retention_removed_rows_total").tag("table", table)
                .description("Rows removed by retention, per table").register(metrics);
    }

    private static String describe(Map<String, Long> removed) {
        StringBuilder s = new StringBuilder();
        removed.forEach((table, n) -> {
            if (n > 0) {
                s.append(s.isEmpty() ? "" : ", ").append(table).append(' ').append(n);
            }
        });
        return s.toString();
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 86_400 == 0 && s > 0 ? s / 86_400 + "d" : s % 3_600 == 0 && s > 0 ? s / 3_600 + "h"
                : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.stop(); // first, so the supervisor does not take the loop's return for a failure
        }
        closed = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        if (worker != null) {
            worker.awaitStopped(Duration.ofSeconds(30));
        }
    }

    /** PostgreSQL: a session advisory lock held for the pass, so one node of a cluster runs it. SQLite: always held. */
    private static final class ClusterLock implements AutoCloseable {
        private final Connection connection;
        private final boolean held;

        private ClusterLock(Connection connection, boolean held) {
            this.connection = connection;
            this.held = held;
        }

        static ClusterLock take(Database db) {
            if (db.dialect() != Dialect.POSTGRESQL) {
                return new ClusterLock(null, true);
            }
            try {
                Connection c = db.connection();
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    ps.setLong(1, ADVISORY_LOCK);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new ClusterLock(c, rs.getBoolean(1));
                    }
                } catch (SQLException e) {
                    c.close();
                    throw e;
                }
            } catch (SQLException e) {
                throw new io.gridsync.server.store.StoreException(e);
            }
        }

        boolean held() {
            return held;
        }

        @Override
        public void close() {
            if (connection == null) {
                return;
            }
            try (connection) {
                if (held) {
                    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                        ps.setLong(1, ADVISORY_LOCK);
                        ps.execute();
                    }
                }
            } catch (SQLException e) {
                log.warn("retention: releasing the cluster lock: {} (it goes with the connection)", e.toString());
            }
        }
    }
}
