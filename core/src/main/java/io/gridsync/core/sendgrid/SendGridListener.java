package io.gridsync.core.sendgrid;

/** Told about every HTTP exchange with SendGrid, for metrics and per-endpoint request counts. */
@FunctionalInterface
public interface SendGridListener {

    /**
     * @param endpoint {@code METHOD /v3/path/{template}}
     * @param status   HTTP status, or 0 when no answer came
     */
    void onExchange(String endpoint, int status, long durationNanos);

    SendGridListener NONE = (e, s, d) -> { };
}
