package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;

/**
 * A webhook as the settings API shows it. Which optional parts appear depends on the endpoint, as in
 * SendGrid's spec: dates on create/update/list, the public key when signing is on (get/list), OAuth
 * ids only when OAuth is configured, the secret never.
 */
final class WebhookViews {

    private WebhookViews() {}

    static ObjectNode settings(EventWebhook w, boolean withDates, boolean withPublicKey, boolean withAccountStatus) {
        ObjectNode o = Json.object();
        o.put("enabled", w.enabled());
        o.put("url", w.url());
        if (withAccountStatus) {
            o.put("account_status_change", false);
        }
        for (EventType t : EventType.values()) {
            o.put(t.setting, w.events().contains(t));
        }
        if (w.friendlyName() != null) {
            o.put("friendly_name", w.friendlyName());
        }
        o.put("id", w.id());
        if (w.oauthClientId() != null) {
            o.put("oauth_client_id", w.oauthClientId());
            o.put("oauth_token_url", w.oauthTokenUrl());
        }
        if (withPublicKey && w.signed()) {
            o.put("public_key", w.signingKey().publicKeyBase64());
        }
        if (withDates) {
            o.put("created_date", w.createdDate().toString());
            o.put("updated_date", w.updatedDate().toString());
        }
        return o;
    }

    /** The legacy {@code GET /settings} of an account that never set up a webhook. */
    static ObjectNode unconfigured(boolean withAccountStatus) {
        ObjectNode o = Json.object();
        o.put("enabled", false);
        o.put("url", "");
        if (withAccountStatus) {
            o.put("account_status_change", false);
        }
        for (EventType t : EventType.values()) {
            o.put(t.setting, false);
        }
        return o;
    }

    /** {@code {id, public_key}}; the key is "" while signing is off. */
    static ObjectNode publicKey(String id, EventWebhook w) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("public_key", w != null && w.signed() ? w.signingKey().publicKeyBase64() : "");
        return o;
    }
}
