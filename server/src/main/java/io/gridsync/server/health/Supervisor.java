package io.gridsync.server.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs the hub's background workers and keeps them running. A worker whose loop ends by an
 * unexpected exception is logged at ERROR once with its stack (the same failure again: one WARN
 * line at most once a minute) and started again after a backoff (1 s, doubling, at most 30 s; back
 * to 1 s after it ran a minute without failing); meanwhile {@code /healthz} shows it as restarting.
 * An Error ends the process ({@link Fatal}). Each worker is one component of {@link Health}.
 */
public final class Supervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    static final long FIRST_BACKOFF_MS = 1_000;
    static final long MAX_BACKOFF_MS = 30_000;
    private static final long HEALTHY_RUN_MS = 60_000;

    private final Health health;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();

    public Supervisor(Health health) {
        this.health = health;
    }

    /** The body of a worker: runs until {@link Worker#running()} turns false, may throw to be restarted. */
    @FunctionalInterface
    public interface Body {
        void run(Worker self) throws Exception;
    }

    /**
     * Starts {@code body} on a daemon thread named {@code gridsync-<name>}.
     *
     * @param stallAfter the worker is reported stalled when it has not called {@link Worker#beat()}
     *                   for this long while running (null: never)
     */
    public Worker start(String name, Duration stallAfter, Body body) {
        Worker w = new Worker(name, stallAfter);
        workers.add(w);
        health.register(name, w::status);
        Thread t = new Thread(() -> supervise(w, body), "gridsync-" + name);
        t.setDaemon(true);
        w.thread = t;
        t.start();
        return w;
    }

    /**
     * Wraps a task that an executor runs again and again (a scheduler's tick): an unexpected
     * exception is logged (once with its stack, then one line a minute) and the next run goes on; an
     * Error ends the process, where the executor would otherwise cancel the task without a word. Its
     * component is stalled when no run started within {@code stallAfter}.
     */
    public Runnable periodic(String name, Duration stallAfter, Runnable task) {
        Worker w = new Worker(name, stallAfter);
        workers.add(w);
        health.register(name, w::status);
        FailureLog failures = new FailureLog();
        return () -> {
            w.beat();
            try {
                task.run();
            } catch (Error e) {
                Fatal.exit(name, e);
            } catch (RuntimeException e) {
                failures.report(e, first -> log.error("{} failed; it runs again on its schedule", name, first),
                        n -> log.warn("{} failed {} times in the last minute: {}", name, n, e.toString()));
            }
        };
    }

    private void supervise(Worker w, Body body) {
        long backoff = FIRST_BACKOFF_MS;
        FailureLog failures = new FailureLog();
        boolean first = true;
        // the body runs at least once, even when stopped before its thread began: it may have work queued to finish
        while (first || w.running()) {
            first = false;
            long started = System.currentTimeMillis();
            w.beat();
            try {
                body.run(w);
                if (w.running()) {
                    log.warn("worker {} returned while it should still run; starting it again in {} s", w.name(), backoff / 1000);
                    if (!w.sleep(backoff)) {
                        break;
                    }
                } else {
                    break;
                }
            } catch (InterruptedException e) {
                if (!w.running()) {
                    break;
                }
                Thread.interrupted(); // an interrupt not meant as a stop: run on
            } catch (Error e) {
                Fatal.exit("worker " + w.name(), e);
            } catch (Exception e) {
                if (!w.running()) {
                    break;
                }
                if (System.currentTimeMillis() - started >= HEALTHY_RUN_MS) {
                    backoff = FIRST_BACKOFF_MS;
                }
                long wait = backoff;
                failures.report(e, failed -> log.error("worker {} stopped by an unexpected exception; restarting it in {} s",
                                w.name(), wait / 1000, failed),
                        n -> log.warn("worker {} failed again, {} times in the last minute ({} restarts so far): {}", w.name(), n,
                                w.restarts(), e.toString()));
                w.restarting(e, System.currentTimeMillis() + backoff);
                if (!w.sleep(backoff)) {
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
                w.restarted();
            }
        }
        w.stopped();
    }

    /** Stops every worker still running (each finishes what it has in hand; waits up to 60 s each). */
    @Override
    public void close() {
        for (Worker w : workers) {
            w.stop();
        }
        for (Worker w : workers) {
            w.awaitStopped(Duration.ofSeconds(60));
            health.unregister(w.name());
        }
    }
}
