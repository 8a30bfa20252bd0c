package io.gridsync.server.collect;

/** A request the tracking API refuses, with the HTTP status and a message that says what to change. */
final class Rejection extends RuntimeException {

    final int status;
    final RejectReason reason;
    /** Seconds for Retry-After (429), 0 for none. */
    final long retryAfterSeconds;

    private Rejection(int status, RejectReason reason, String message) {
        this(status, reason, message, 0);
    }

    private Rejection(int status, RejectReason reason, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429: over a rate limit; the client may send again after {@code waitMillis}. */
    static Rejection rateLimited(RejectReason reason, String message, long waitMillis) {
        return new Rejection(429, reason, message, Math.max(1, (waitMillis + 999) / 1000));
    }

    static Rejection forbidden(RejectReason reason, String message) {
        return new Rejection(403, reason, message);
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
