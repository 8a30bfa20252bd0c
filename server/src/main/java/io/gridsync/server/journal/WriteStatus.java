package io.gridsync.server.journal;

import io.gridsync.server.store.StorageFault;

/**
 * Whether the journal's writer can write: since when its commits fail and why. The writer keeps
 * trying with each new group (every request is answered 503 + Retry-After meanwhile), so this
 * clears by itself with the first commit that succeeds once space or the database is back.
 */
public final class WriteStatus {

    private volatile long failingSinceMillis;
    private volatile String lastError;
    private volatile boolean diskFull;

    void succeeded() {
        failingSinceMillis = 0;
    }

    void failed(Throwable e) {
        if (failingSinceMillis == 0) {
            failingSinceMillis = System.currentTimeMillis();
        }
        lastError = e.getMessage();
        diskFull = StorageFault.isDiskFull(e);
    }

    /** 0 while commits succeed, else when the first of the failing run was tried (epoch ms). */
    public long failingSinceMillis() {
        return failingSinceMillis;
    }

    public boolean failing() {
        return failingSinceMillis != 0;
    }

    /** Whether the last failure was a full disk (or database size limit). */
    public boolean diskFull() {
        return diskFull;
    }

    /** What the last failed commit said; null when none failed yet. */
    public String lastError() {
        return lastError;
    }
}
