package io.gridsync.server.source;

import io.gridsync.server.health.Fatal;
import io.gridsync.server.health.Health;
import io.gridsync.server.health.Supervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each source's object sync every interval, and now when asked ({@link #trigger}). A source
 * is due one interval after its last run started; one never synced is due {@link #FIRST_RUN_DELAY}
 * after the scheduler started (or its interval, if shorter), so a new hub fills its warehouse soon
 * without racing its own start. Runs go one at a time on one worker thread, whatever the source:
 * they share the machine and, usually, one SendGrid account's rate limits.
 */
public final class SyncScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);
    static final Duration FIRST_RUN_DELAY = Duration.ofMinutes(1);

    private final SourceDirectory sources;
    private final SourceRuns runs;
    private final SourceSync sync;
    private final Clock clock;
    private final Instant started;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "gridsync-source-scheduler"));
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> thread(r, "gridsync-source-sync"));
    /** Runs waiting for the worker: they keep a heartbeat too, or another process would take them for abandoned. */
    private final Set<Long> queued = ConcurrentHashMap.newKeySet();
    private Supervisor supervisor;
    private java.util.function.BooleanSupplier ours = () -> true;

    public SyncScheduler(SourceDirectory sources, SourceRuns runs, SourceSync sync, Clock clock) {
        this.sources = sources;
        this.runs = runs;
        this.sync = sync;
        this.clock = clock;
        this.started = clock.instant();
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Looks for due sources every {@code tick}; closes runs other processes abandoned first. */
    public SyncScheduler start(Duration tick) {
        return start(tick, new Supervisor(new Health()));
    }

    /** {@link #start(Duration)}, its ticks and runs watched by {@code supervisor} (components source-scheduler, source-sync). */
    public SyncScheduler start(Duration tick, Supervisor supervisor) {
        return start(tick, supervisor, () -> true);
    }

    /** {@link #start(Duration, Supervisor)}, due runs started only while {@code ours} says this node runs the cluster's schedule. */
    public SyncScheduler start(Duration tick, Supervisor supervisor, java.util.function.BooleanSupplier ours) {
        this.supervisor = supervisor;
        this.ours = ours;
        int closed = runs.closeAbandoned(clock.instant());
        if (closed > 0) {
            log.warn("{} source run(s) were left unfinished by a stopped process; recorded as interrupted", closed);
        }
        ticker.scheduleWithFixedDelay(supervisor.periodic("source-scheduler", tick.multipliedBy(10).plusMinutes(1), this::tick),
                tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    void tick() {
        try {
            Instant now = clock.instant();
            for (Long id : queued) {
                runs.heartbeat(id, now);
            }
            if (!ours.getAsBoolean()) {
                return; // another node runs the schedule; runs asked for through this node's admin API still run here
            }
            // a run whose node died mid-way stops counting as running once its heartbeat is old; the schedule goes on here
            int abandoned = runs.closeAbandoned(now);
            if (abandoned > 0) {
                log.warn("{} source run(s) stopped sending a heartbeat (their node stopped); recorded as interrupted", abandoned);
            }
            for (Source s : sources.all()) {
                Instant due = nextRunAt(s).orElse(null);
                if (due != null && !now.isBefore(due)) {
                    trigger(s.name(), "schedule");
                }
            }
        } catch (RuntimeException e) {
            log.warn("source scheduler: {}", e.toString()); // the next tick tries again
        }
    }

    /** When {@code s} runs next on its own; empty when it is not scheduled (off, disabled) or is running now. */
    public Optional<Instant> nextRunAt(Source s) {
        if (!s.scheduled()) {
            return Optional.empty();
        }
        Optional<SourceRun> last = runs.last(s.name());
        if (last.isPresent() && last.get().status().active()) {
            return Optional.empty();
        }
        Duration first = s.interval().compareTo(FIRST_RUN_DELAY) < 0 ? s.interval() : FIRST_RUN_DELAY;
        return Optional.of(last.map(r -> r.startedAt().plus(s.interval())).orElse(started.plus(first)));
    }

    /**
     * Queues a run of {@code source} now and returns it at once; when one is already queued or
     * running, returns that one instead.
     *
     * @throws NoSuchElementException when there is no such source
     */
    public BegunRun trigger(String source, String trigger) {
        Source s = sources.find(source).orElseThrow(() -> new NoSuchElementException("no source named '" + source + "'"));
        BegunRun begun = runs.begin(s.name(), trigger, clock.instant());
        if (!begun.existing()) {
            queued.add(begun.run().id());
            worker.execute(new QueuedRun(s, begun.run().id()));
        }
        return begun;
    }

    /** A queued run; the worker runs it with the source as it is then (its key may have been rotated meanwhile). */
    private final class QueuedRun implements Runnable {
        final Source source;
        final long id;

        QueuedRun(Source source, long id) {
            this.source = source;
            this.id = id;
        }

        @Override
        public void run() {
            queued.remove(id);
            try {
                sync.run(sources.find(source.name()).orElse(source), id);
            } catch (Error e) {
                Fatal.exit("source sync of " + source.name(), e); // the executor would swallow it
            }
        }
    }

    /** Stops scheduling; a run in progress is interrupted and recorded as such (waits up to 30 s for that). */
    @Override
    public void close() {
        ticker.shutdownNow();
        for (Runnable r : worker.shutdownNow()) {
            if (r instanceof QueuedRun q) {
                runs.finish(q.id, RunOutcome.failed(RunStatus.INTERRUPTED, "interrupted: the hub stopped before the run began",
                        java.util.List.of()), clock.instant());
            }
        }
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("a source run did not stop within 30 s; it will be recorded as interrupted by the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
