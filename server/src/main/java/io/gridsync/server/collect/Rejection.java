package io.gridsync.server.collect;

/** A request the tracking API refuses, with the HTTP status and a message that says what to change. */
final class Rejection extends RuntimeException {

    final int status;
    final RejectReason reason;

    private Rejection(int status, RejectReason reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    static Rejection badRequest(RejectReason reason, String message) {
        return new Rejection(400, reason, message);
    }

    /** A body over its limit: 413, and the message names the limit. */
    static Rejection tooLarge(RejectReason reason, String message) {
        return new Rejection(413, reason, message);
    }

    static Rejection of(int status, RejectReason reason, String message) {
        return new Rejection(status, reason, message);
    }

    static Rejection unauthorized(RejectReason reason, String message) {
        return new Rejection(401, reason, message);
    }
}
