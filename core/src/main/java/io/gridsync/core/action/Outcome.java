package io.gridsync.core.action;

import java.time.Instant;

/**
 * What became of one input of an action: done, to be retried at a time, dead with a reason a
 * user can act on, or blocked by consent. {@code status} is the SendGrid HTTP status behind it (202, 400, 429...), 0 when
 * no call was made or no answer came.
 */
public sealed interface Outcome {

    int status();

    String detail();

    /** Delivered; {@code detail} says what changed, e.g. "contact upserted (job 1f0c...)". */
    record Done(int status, String detail) implements Outcome {}

    /** Not delivered yet, worth trying again at {@code notBefore}. */
    record Retry(int status, String detail, Instant notBefore) implements Outcome {}

    /** Will never be delivered as it is: a permanent error; the reason says what to change. */
    record Dead(int status, String detail) implements Outcome {}

    /** Not delivered, on purpose: the message's consent withholds the integration's category. */
    record Blocked(int status, String detail) implements Outcome {}

    static Outcome done(int status, String detail) {
        return new Done(status, detail);
    }

    static Outcome retry(int status, String detail, Instant notBefore) {
        return new Retry(status, detail, notBefore);
    }

    static Outcome dead(int status, String detail) {
        return new Dead(status, detail);
    }

    default boolean isDone() {
        return this instanceof Done;
    }
}
