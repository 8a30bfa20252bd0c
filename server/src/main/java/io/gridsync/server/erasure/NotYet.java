package io.gridsync.server.erasure;

/** Work that cannot finish right now for a passing reason (a delivery in flight, a reader on the WAL): tried again shortly, not counted as a failure. */
final class NotYet extends RuntimeException {
    NotYet(String message) {
        super(message, null, false, false);
    }
}
