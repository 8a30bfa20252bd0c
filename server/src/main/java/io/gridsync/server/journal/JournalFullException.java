package io.gridsync.server.journal;

/**
 * Back-pressure: more messages wait for a commit than the journal queues. Nothing of the refused
 * append was taken; the caller should answer 503 with Retry-After and the client send again.
 */
public final class JournalFullException extends RuntimeException {

    public JournalFullException(int pending, int limit) {
        super("the journal has " + pending + " messages waiting for a commit (limit " + limit + "); retry shortly");
    }
}
