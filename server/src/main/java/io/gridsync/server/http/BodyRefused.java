package io.gridsync.server.http;

import java.io.IOException;

/**
 * A request body that was not read to its end, with the status to answer and a message a person
 * reads: too large (413, naming the limit), too slow (408), or too many bodies at once (503).
 * Part of the body is still unsent or unread, so the connection is closed after the answer.
 */
public final class BodyRefused extends IOException {

    public final int status;

    private BodyRefused(int status, String message) {
        super(message, null);
        this.status = status;
    }

    public static BodyRefused tooLarge(long limit) {
        return new BodyRefused(413, "the body is over " + HttpLimits.describe(limit) + " (" + limit + " bytes); send less per request");
    }

    public static BodyRefused tooSlow() {
        return new BodyRefused(408, "the body did not arrive within " + HttpLimits.BODY_READ_TIMEOUT.toSeconds()
                + " s; send it at once, or in smaller requests");
    }

    public static BodyRefused busy() {
        return new BodyRefused(503, "the hub is receiving too many request bodies at once; retry shortly");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // a refusal, not a fault: no stack to collect
    }
}
