package io.gridsync.server.webhook;

import io.gridsync.server.forward.Forwarding;

import java.security.PublicKey;

/**
 * A SendGrid account whose Event Webhook posts to {@code /v1/webhooks/sendgrid/{name}} (the
 * default source {@code sendgrid} also to {@code /v1/webhooks/sendgrid}). Its events go to the
 * warehouse schema of the same name.
 *
 * @param publicKeyText the verification key as configured, or null: posts are not verified
 * @param keyOrigin     "admin" (set with the admin API), "environment" (SENDGRID_WEBHOOK_PUBLIC_KEY), or null
 * @param forwarding    where events are forwarded, or null
 */
public record WebhookSource(String name, String publicKeyText, PublicKey publicKey, String keyOrigin, Forwarding forwarding) {

    public String schema() {
        return name;
    }

    public boolean verifies() {
        return publicKey != null;
    }
}
