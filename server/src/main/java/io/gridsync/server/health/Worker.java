package io.gridsync.server.health;

import java.time.Duration;

/** One supervised background worker: its run flag, its heartbeat and its status for {@code /healthz}. */
public final class Worker {

    private final String name;
    private final Duration stallAfter;
    private final Object sleeper = new Object();
    volatile Thread thread;
    private volatile boolean running = true;
    private volatile long lastBeat = System.currentTimeMillis();
    private volatile String failure;
    private volatile long failedAt;
    private volatile long restartAt;
    private volatile int restarts;
    private volatile boolean stopped;

    Worker(String name, Duration stallAfter) {
        this.name = name;
        this.stallAfter = stallAfter;
    }

    public String name() {
        return name;
    }

    /** False once the worker is asked to stop: its body returns as soon as it can. */
    public boolean running() {
        return running;
    }

    /** Says the worker makes progress (call once per iteration of its loop). */
    public void beat() {
        lastBeat = System.currentTimeMillis();
    }

    public int restarts() {
        return restarts;
    }

    /** Asks the worker to stop and wakes it from a backoff or an idle wait. */
    public void stop() {
        running = false;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    /** Waits (until stopped, at most {@code millis}); false when stopped meanwhile. */
    public boolean sleep(long millis) {
        long until = System.currentTimeMillis() + millis;
        synchronized (sleeper) {
            long left;
            while (running && (left = until - System.currentTimeMillis()) > 0) {
                try {
                    sleeper.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return running;
    }

    void restarting(Exception e, long at) {
        // the class only: /healthz is anonymous, and a message may quote data (the log has it whole)
        failure = "stopped by " + e.getClass().getSimpleName();
        failedAt = System.currentTimeMillis();
        restartAt = at;
    }

    void restarted() {
        restarts++;
        restartAt = 0;
        lastBeat = System.currentTimeMillis();
    }

    void stopped() {
        stopped = true;
    }

    /** Waits for the worker's thread to end (after {@link #stop()}); false when it is still running after {@code timeout}. */
    public boolean awaitStopped(Duration timeout) {
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return true;
        }
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /** ok, restarting (with the exception and when), stalled (no beat for too long), or stopped. */
    public ComponentStatus status() {
        long now = System.currentTimeMillis();
        if (restartAt != 0) {
            return ComponentStatus.of("restarting", failure + "; restart " + (restarts + 1) + " in "
                    + Math.max(0, (restartAt - now + 999) / 1000) + " s (the hub's log has the details)", failedAt);
        }
        if (stopped || !running) {
            return ComponentStatus.of("stopped", running ? "its thread ended" : "closed", now);
        }
        if (stallAfter != null && now - lastBeat > stallAfter.toMillis()) {
            return ComponentStatus.of("stalled", "no progress for " + (now - lastBeat) / 1000 + " s", lastBeat);
        }
        return ComponentStatus.OK;
    }
}
