package io.gridsync.server.journal;

/** The commit holding an append failed; nothing of that append was stored and it may be sent again. */
public final class JournalWriteException extends RuntimeException {

    public JournalWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
