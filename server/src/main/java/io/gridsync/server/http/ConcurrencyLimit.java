package io.gridsync.server.http;

import java.util.concurrent.Semaphore;

/**
 * At most N requests of one route group at work at once; one more is refused at once (the caller
 * answers 503 + Retry-After) instead of queueing for a thread. It keeps a group whose work waits
 * on something slow (the webhook waits for the warehouse commit) from taking the threads that
 * {@code /v1/track} and {@code /healthz} need.
 */
public final class ConcurrencyLimit {

    private final String group;
    private final int permits;
    private final Semaphore inUse;

    public ConcurrencyLimit(String group, int permits) {
        this.group = group;
        this.permits = permits;
        this.inUse = new Semaphore(permits);
    }

    /** True when the caller may go on; it must then call {@link #leave} once, when done. */
    public boolean tryEnter() {
        return inUse.tryAcquire();
    }

    public void leave() {
        inUse.release();
    }

    /** What a refused request is told. */
    public String busyMessage() {
        return "the hub is already handling " + permits + " " + group + " requests at once; retry shortly";
    }
}
