package io.gridsync.emulator.contacts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the contacts family's asynchronous work (imports, deletions, list removals, exports) on
 * one background thread, each task after its delay, in the order submitted. On close, work
 * still waiting is run at once, so what the API accepted is applied before the state is saved.
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "emulator-contacts-jobs");
        t.setDaemon(true);
        return t;
    });
    /** Tasks submitted and not yet started, in submission order. */
    private final Set<Runnable> waiting = new LinkedHashSet<>();

    public void schedule(Runnable task, long delayMillis) {
        synchronized (waiting) {
            waiting.add(task);
        }
        executor.schedule(() -> runOnce(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** Runs the task unless it already ran (a task is claimed by whoever removes it first). */
    private void runOnce(Runnable task) {
        synchronized (waiting) {
            if (!waiting.remove(task)) {
                return;
            }
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("contacts job failed", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("a contacts job was still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Runnable> left;
        synchronized (waiting) {
            left = new ArrayList<>(waiting);
        }
        left.forEach(this::runOnce);
    }
}
