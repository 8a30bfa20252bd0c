package io.gridsync.core.sendgrid;

import java.time.Instant;
import java.util.List;

/**
 * A SendGrid call that did not succeed, classified for the caller: {@link #retryable()} for 408,
 * 423, 429, 5xx other than 501, timeouts and broken connections; permanent for every other 4xx.
 * Carries SendGrid's own error list. Never carries the API key.
 */
public final class SendGridException extends RuntimeException {

    private final String endpoint;
    private final int status;
    private final List<SendGridError> errors;
    private final boolean retryable;
    private final Instant retryAt;

    public SendGridException(String endpoint, int status, List<SendGridError> errors, boolean retryable,
                             Instant retryAt, String detail, Throwable cause) {
        super(describe(endpoint, status, errors, detail), cause);
        this.endpoint = endpoint;
        this.status = status;
        this.errors = List.copyOf(errors);
        this.retryable = retryable;
        this.retryAt = retryAt;
    }

    private static String describe(String endpoint, int status, List<SendGridError> errors, String detail) {
        StringBuilder sb = new StringBuilder(endpoint);
        if (status > 0) {
            sb.append(" answered ").append(status);
        } else {
            sb.append(" failed");
        }
        if (!errors.isEmpty()) {
            sb.append(": ");
            for (int i = 0; i < errors.size() && i < 5; i++) {
                sb.append(i == 0 ? "" : "; ").append(errors.get(i));
            }
            if (errors.size() > 5) {
                sb.append("; and ").append(errors.size() - 5).append(" more");
            }
        }
        if (detail != null) {
            sb.append(errors.isEmpty() ? ": " : " (").append(detail).append(errors.isEmpty() ? "" : ")");
        }
        return sb.toString();
    }

    /** Whether the status (0 for no answer at all) is worth retrying. */
    public static boolean isRetryableStatus(int status) {
        return status == 0 || status == 408 || status == 423 || status == 429 || (status >= 500 && status != 501);
    }

    /** {@code METHOD /v3/path/{template}}. */
    public String endpoint() {
        return endpoint;
    }

    /** HTTP status, or 0 when no answer came (timeout, connection reset). */
    public int status() {
        return status;
    }

    public List<SendGridError> errors() {
        return errors;
    }

    public boolean retryable() {
        return retryable;
    }

    /** For a 429: when SendGrid's window resets ({@code X-RateLimit-Reset}); otherwise null. */
    public Instant retryAt() {
        return retryAt;
    }
}
