package io.gridsync.server.retention;

/** Waits between two chunks of deletion, so the writers of the hub get the database in between. */
interface Pause {
    void afterChunk() throws InterruptedException;
}
