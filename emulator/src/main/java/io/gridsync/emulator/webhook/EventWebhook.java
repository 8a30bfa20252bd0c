package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One Event Webhook: where it posts, which event types, and (when signed) its key pair.
 * Immutable; the store replaces a webhook on every change.
 */
public record EventWebhook(String id, String url, boolean enabled, Set<EventType> events, String friendlyName,
                           String oauthClientId, String oauthClientSecret, String oauthTokenUrl,
                           SigningKey signingKey, Instant createdDate, Instant updatedDate) {

    public EventWebhook {
        events = Collections.unmodifiableSet(events.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(events));
    }

    public boolean signed() {
        return signingKey != null;
    }

    /** True when this webhook posts events of the type now. */
    public boolean posts(EventType type) {
        return enabled && events.contains(type);
    }

    public EventWebhook withSigningKey(SigningKey key, Instant now) {
        return new EventWebhook(id, url, enabled, events, friendlyName, oauthClientId, oauthClientSecret, oauthTokenUrl,
                key, createdDate, now);
    }

    /** For the state file: everything, including the OAuth secret and the private key. */
    public ObjectNode toState() {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("url", url);
        o.put("enabled", enabled);
        for (EventType t : EventType.values()) {
            o.put(t.setting, events.contains(t));
        }
        putNullable(o, "friendly_name", friendlyName);
        putNullable(o, "oauth_client_id", oauthClientId);
        putNullable(o, "oauth_client_secret", oauthClientSecret);
        putNullable(o, "oauth_token_url", oauthTokenUrl);
        if (signingKey != null) {
            o.set("signing_key", signingKey.toJson());
        }
        o.put("created_date", createdDate.toString());
        o.put("updated_date", updatedDate.toString());
        return o;
    }

    public static EventWebhook fromState(JsonNode o) {
        Set<EventType> events = EnumSet.noneOf(EventType.class);
        for (EventType t : EventType.values()) {
            if (o.path(t.setting).asBoolean(false)) {
                events.add(t);
            }
        }
        return new EventWebhook(o.path("id").asText(), o.path("url").asText(), o.path("enabled").asBoolean(false), events,
                text(o, "friendly_name"), text(o, "oauth_client_id"), text(o, "oauth_client_secret"), text(o, "oauth_token_url"),
                o.hasNonNull("signing_key") ? SigningKey.fromJson(o.get("signing_key")) : null,
                Instant.parse(o.path("created_date").asText()), Instant.parse(o.path("updated_date").asText()));
    }

    private static String text(JsonNode o, String field) {
        return o.hasNonNull(field) ? o.get(field).asText() : null;
    }

    private static void putNullable(ObjectNode o, String field, String value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }
}
