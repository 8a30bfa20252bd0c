package io.gridsync.emulator.webhook;

/** Thrown when a URL is already the target of another webhook; SendGrid answers 400 naming that webhook. */
public final class WebhookUrlInUse extends RuntimeException {

    private final String existingId;
    private final String url;

    public WebhookUrlInUse(String existingId, String url) {
        super("Webhook at '" + url + "' already exists. Please provide a unique URL.");
        this.existingId = existingId;
        this.url = url;
    }

    public String existingId() {
        return existingId;
    }

    public String url() {
        return url;
    }
}
