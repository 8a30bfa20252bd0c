package io.gridsync.server.collect;

import java.util.Locale;

/** Why the tracking API refused a request; the metric tag {@code reason} is {@link #tag()}. */
public enum RejectReason {
    MISSING_WRITE_KEY,
    UNKNOWN_WRITE_KEY,
    INVALID_JSON,
    INVALID_GZIP,
    UNSUPPORTED_ENCODING,
    MESSAGE_TOO_LARGE,
    BATCH_TOO_LARGE,
    EMPTY_BATCH,
    BODY_TIMEOUT,
    UNKNOWN_TYPE,
    TYPE_MISMATCH,
    MISSING_IDENTITY,
    MISSING_FIELD,
    INVALID_FIELD,
    ORIGIN_NOT_ALLOWED,
    RATE_LIMITED_WRITE_KEY,
    RATE_LIMITED_CLIENT,
    BUSY,
    UNAVAILABLE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
