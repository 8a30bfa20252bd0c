package io.gridsync.server.webhook;

/** A webhook post refused before anything is stored: HTTP status, a message, and a short reason for metrics. */
final class WebhookRefusal extends RuntimeException {

    final int status;
    final String reason;

    WebhookRefusal(int status, String message, String reason) {
        super(message);
        this.status = status;
        this.reason = reason;
    }
}
