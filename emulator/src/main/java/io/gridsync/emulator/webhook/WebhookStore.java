package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.state.Ids;
import io.gridsync.emulator.state.Persistable;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The account's Event Webhooks in creation order (the first is the "oldest", which the legacy
 * single-webhook endpoints act on). A URL given at start ({@code --webhook-url}) is always present:
 * an enabled, signed webhook posting every event type, re-created after a reset.
 */
public final class WebhookStore implements Persistable {

    /** SendGrid's {@code max_allowed} on plans with multiple webhooks. */
    public static final int MAX_WEBHOOKS = 5;

    private final List<EventWebhook> webhooks = new ArrayList<>();
    private final String configuredUrl;

    public WebhookStore(String configuredUrl) {
        this.configuredUrl = configuredUrl == null || configuredUrl.isBlank() ? null : configuredUrl.trim();
        if (this.configuredUrl != null) {
            try {
                WebhookPatch.validUrl(this.configuredUrl);
            } catch (ApiError e) {
                throw new IllegalArgumentException("--webhook-url: " + e.getMessage() + "; give an http:// or https:// URL");
            }
        }
        seedConfigured();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private void seedConfigured() {
        if (configuredUrl != null && webhooks.stream().noneMatch(w -> w.url().equals(configuredUrl))) {
            Instant now = now();
            webhooks.add(0, new EventWebhook(Ids.uuid(), configuredUrl, true, EventType.all(), null, null, null, null,
                    SigningKey.generate(), now, now));
        }
    }

    public synchronized List<EventWebhook> all() {
        return List.copyOf(webhooks);
    }

    public synchronized Optional<EventWebhook> byId(String id) {
        return webhooks.stream().filter(w -> w.id().equals(id)).findFirst();
    }

    public synchronized Optional<EventWebhook> oldest() {
        return webhooks.isEmpty() ? Optional.empty() : Optional.of(webhooks.get(0));
    }

    public synchronized EventWebhook create(WebhookPatch patch) {
        if (webhooks.size() >= MAX_WEBHOOKS) {
            throw ApiError.badRequest(null, "You have reached the maximum number of webhooks per your current billing plan.");
        }
        checkUrlFree(patch.url(), null);
        EventWebhook w = patch.create(Ids.uuid(), now());
        webhooks.add(w);
        return w;
    }

    public synchronized EventWebhook update(String id, WebhookPatch patch) {
        EventWebhook current = byId(id).orElseThrow(WebhookStore::invalidId);
        if (patch.url() != null) {
            checkUrlFree(patch.url(), id);
        }
        return replace(patch.applyTo(current, now()));
    }

    /** The legacy {@code PATCH /settings}: updates the oldest webhook, creating it when there is none. */
    public synchronized EventWebhook updateOldest(WebhookPatch patch) {
        if (webhooks.isEmpty()) {
            if (patch.url() == null) {
                throw ApiError.badRequest("url", "url is required to set up the Event Webhook, e.g. "
                        + "{\"enabled\": true, \"url\": \"https://example.com/sendgrid/events\", \"delivered\": true}");
            }
            return create(patch);
        }
        return update(webhooks.get(0).id(), patch);
    }

    /** Turns signing on (a fresh key pair, as SendGrid issues a new key) or off. */
    public synchronized EventWebhook setSigned(String id, boolean signed) {
        EventWebhook current = byId(id).orElseThrow(WebhookStore::invalidId);
        if (signed == current.signed()) {
            return current;
        }
        return replace(current.withSigningKey(signed ? SigningKey.generate() : null, now()));
    }

    public synchronized void delete(String id) {
        EventWebhook w = byId(id).orElseThrow(WebhookStore::invalidId);
        webhooks.remove(w);
    }

    /** SendGrid's answer for an id that is not one of the account's webhooks. */
    public static ApiError invalidId() {
        return ApiError.notFound("Invalid id provided.");
    }

    private EventWebhook replace(EventWebhook updated) {
        for (int i = 0; i < webhooks.size(); i++) {
            if (webhooks.get(i).id().equals(updated.id())) {
                webhooks.set(i, updated);
            }
        }
        return updated;
    }

    private void checkUrlFree(String url, String exceptId) {
        for (EventWebhook w : webhooks) {
            if (w.url().equals(url) && !w.id().equals(exceptId)) {
                throw new WebhookUrlInUse(w.id(), url);
            }
        }
    }

    @Override
    public String stateKey() {
        return "event_webhooks";
    }

    @Override
    public synchronized JsonNode saveState() {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("webhooks");
        webhooks.forEach(w -> list.add(w.toState()));
        return out;
    }

    @Override
    public synchronized void loadState(JsonNode node) {
        webhooks.clear();
        node.path("webhooks").forEach(w -> webhooks.add(EventWebhook.fromState(w)));
        seedConfigured();
    }

    @Override
    public synchronized void clearState() {
        webhooks.clear();
        seedConfigured();
    }
}
