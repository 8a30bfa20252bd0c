package io.gridsync.server.webhook;

import io.gridsync.server.warehouse.PreparedRows;
import io.gridsync.server.warehouse.Warehouse;
import io.gridsync.server.health.Supervisor;
import io.gridsync.server.health.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The warehouse's single capture writer with group commit: posts parsed in parallel by the request
 * threads wait here; the writer takes every post waiting, loads them per schema in one transaction
 * (one fsync on SQLite for all of them), then completes their futures, so each post is answered
 * only once its events are committed. The queue is bounded: a full queue is refused at once
 * (503), and SendGrid sends the post again later.
 */
final class CaptureWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaptureWriter.class);
    /** Bounds one transaction, so a flood is committed in steps. */
    static final int MAX_GROUP_EVENTS = 20_000;

    /** A post waiting for the writer, its rows already prepared for the warehouse's load. */
    private record Pending(String schema, ParsedPost post, EnumMap<EventType, PreparedRows> rows, CompletableFuture<Integer> done) {}

    private static final Pending STOP = new Pending(null, null, null, null);

    private final Warehouse warehouse;
    private final BlockingQueue<Pending> queue;
    private final Set<String> preparedSchemas = ConcurrentHashMap.newKeySet();
    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Writes on workers of {@code supervisor}'s (components "capture-writer", and "capture-writer-2"
     * where the warehouse takes two loads at once), all taking groups from one queue.
     */
    CaptureWriter(Warehouse warehouse, int maxQueuedPosts, Supervisor supervisor) {
        this.warehouse = warehouse;
        this.queue = new ArrayBlockingQueue<>(maxQueuedPosts);
        for (int i = 1; i <= warehouse.concurrentWriters(); i++) {
            workers.add(supervisor.start(i == 1 ? "capture-writer" : "capture-writer-" + i, null, self -> run()));
        }
    }

    /**
     * Queues a post; the future completes with the number of new events once committed. Called on
     * the request's thread, which also prepares the rows for the load (checks, conversions,
     * grouping), so the one writer thread does only the load.
     *
     * @throws WebhookRefusal 503 when the queue is full or the writer is closed
     */
    CompletableFuture<Integer> submit(String schema, ParsedPost post) {
        if (closed) {
            throw new WebhookRefusal(503, "the hub is shutting down; retry shortly", "unavailable");
        }
        EnumMap<EventType, PreparedRows> prepared = new EnumMap<>(EventType.class);
        post.rows().forEach((type, rows) -> prepared.put(type, warehouse.prepare(EventTables.table(type), rows)));
        Pending p = new Pending(schema, post, prepared, new CompletableFuture<>());
        if (!queue.offer(p)) {
            throw new WebhookRefusal(503, "the warehouse writer is behind; retry shortly", "busy");
        }
        return p.done();
    }

    /** Creates the source's tables and the activity view before its first load (also at start, for known sources). */
    void prepare(String schema) {
        if (preparedSchemas.contains(schema)) {
            return;
        }
        int created = warehouse.ensureUnionView(schema, EventTables.ACTIVITY, EventTables.all());
        created += warehouse.ensure(schema, EventTables.QUARANTINE) ? 1 : 0;
        DeliverabilityViews.ensure(warehouse, schema);
        preparedSchemas.add(schema);
        if (created > 0) {
            // one line for a first start, not one per table (those are at DEBUG)
            log.info("warehouse ready: {} tables created for source {} ({})", created, schema, warehouse.describe());
        }
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        try {
            while (true) {
                Pending first = queue.take();
                if (first == STOP) {
                    return;
                }
                group.add(first);
                int events = first.post().events();
                Pending next;
                boolean stop = false;
                while (events < MAX_GROUP_EVENTS && (next = queue.poll()) != null) {
                    if (next == STOP) {
                        stop = true;
                        break;
                    }
                    group.add(next);
                    events += next.post().events();
                }
                Map<String, List<Pending>> bySchema = new LinkedHashMap<>();
                group.forEach(p -> bySchema.computeIfAbsent(p.schema(), s -> new ArrayList<>()).add(p));
                bySchema.forEach(this::write);
                group.clear();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            IllegalStateException stopped = new IllegalStateException("the capture writer stopped");
            group.forEach(p -> p.done().completeExceptionally(stopped));
            Pending p;
            int stops = 0;
            while ((p = queue.poll()) != null) {
                if (p == STOP) {
                    stops++;
                } else {
                    p.done().completeExceptionally(stopped);
                }
            }
            for (int i = 0; i < stops; i++) {
                queue.offer(STOP); // the other writers' turn to stop
            }
        }
    }

    /** One transaction for the group; if it fails, each post alone, so one bad post fails alone. */
    private void write(String schema, List<Pending> posts) {
        try {
            int added = commit(schema, posts);
            posts.forEach(p -> p.done().complete(posts.size() == 1 ? added : -1));
        } catch (RuntimeException e) {
            if (posts.size() == 1) {
                log.warn("capture into schema {} failed: {}", schema, e.toString());
                posts.get(0).done().completeExceptionally(e);
                return;
            }
            log.warn("capture group of {} posts into schema {} failed ({}); writing them one by one", posts.size(), schema, e.toString());
            for (Pending p : posts) {
                try {
                    p.done().complete(commit(schema, List.of(p)));
                } catch (RuntimeException single) {
                    p.done().completeExceptionally(single);
                }
            }
        }
    }

    private int commit(String schema, List<Pending> posts) {
        prepare(schema);
        EnumMap<EventType, List<PreparedRows>> rows = new EnumMap<>(EventType.class);
        List<Object[]> quarantine = new ArrayList<>();
        for (Pending p : posts) {
            p.rows().forEach((type, part) -> rows.computeIfAbsent(type, t -> new ArrayList<>(posts.size())).add(part));
            quarantine.addAll(p.post().quarantine());
        }
        return warehouse.transaction(schema, tx -> {
            int added = 0;
            for (Map.Entry<EventType, List<PreparedRows>> e : rows.entrySet()) {
                added += tx.appendPrepared(EventTables.table(e.getKey()), e.getValue());
            }
            tx.appendNew(EventTables.QUARANTINE, quarantine);
            return added;
        });
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Worker::stop); // each loop runs on until it takes a STOP, having written what is before it
        try {
            for (int i = 0; i < workers.size(); i++) {
                queue.put(STOP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.forEach(w -> w.awaitStopped(java.time.Duration.ofSeconds(30)));
    }
}
