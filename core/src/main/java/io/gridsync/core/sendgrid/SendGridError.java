package io.gridsync.core.sendgrid;

/** One entry of SendGrid's {@code errors} array; {@code field} is null for request-level errors. */
public record SendGridError(String field, String message) {
    @Override
    public String toString() {
        return field == null ? message : field + ": " + message;
    }
}
