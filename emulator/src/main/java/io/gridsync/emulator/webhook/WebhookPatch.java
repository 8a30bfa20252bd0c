package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings a create or update request carries, type-checked. Absent fields leave a webhook's
 * setting as it is; for the nullable strings (friendly name, OAuth) null or "" clears the setting.
 */
public final class WebhookPatch {

    private Boolean enabled;
    private String url;
    private final Map<EventType, Boolean> events = new EnumMap<>(EventType.class);
    private final Map<String, String> texts = new java.util.HashMap<>();

    private static final String[] TEXT_FIELDS = {"friendly_name", "oauth_client_id", "oauth_client_secret", "oauth_token_url"};

    private WebhookPatch() {}

    public static WebhookPatch parse(ObjectNode body, boolean urlRequired) {
        WebhookPatch p = new WebhookPatch();
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull()) {
            if (!enabled.isBoolean()) {
                throw ApiError.badRequest("enabled", "enabled must be true or false");
            }
            p.enabled = enabled.asBoolean();
        }
        JsonNode url = body.get("url");
        if (url == null || url.isNull()) {
            if (urlRequired) {
                throw ApiError.badRequest("url", "url is required: the address the Event Webhook posts to, e.g. https://example.com/sendgrid/events");
            }
        } else {
            if (!url.isTextual()) {
                throw ApiError.badRequest("url", "url must be a string");
            }
            p.url = validUrl(url.asText());
        }
        for (EventType t : EventType.values()) {
            JsonNode v = body.get(t.setting);
            if (v != null && !v.isNull()) {
                if (!v.isBoolean()) {
                    throw ApiError.badRequest(t.setting, t.setting + " must be true or false");
                }
                p.events.put(t, v.asBoolean());
            }
        }
        for (String f : TEXT_FIELDS) {
            if (body.has(f)) {
                JsonNode v = body.get(f);
                if (!v.isNull() && !v.isTextual()) {
                    throw ApiError.badRequest(f, f + " must be a string or null");
                }
                p.texts.put(f, v.isNull() || v.asText().isEmpty() ? null : v.asText());
            }
        }
        return p;
    }

    /** SendGrid's check: an absolute http(s) URL with a host; the message is SendGrid's. */
    public static String validUrl(String raw) {
        String trimmed = raw.trim();
        try {
            URI u = new URI(trimmed);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && !u.getHost().isEmpty()) {
                return trimmed;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ApiError.badRequest(null, "'" + raw + "' is not a valid url");
    }

    public String url() {
        return url;
    }

    public Boolean enabled() {
        return enabled;
    }

    /** A new webhook from this patch: what is not given is off. */
    public EventWebhook create(String id, Instant now) {
        Set<EventType> on = EnumSet.noneOf(EventType.class);
        events.forEach((t, v) -> {
            if (v) {
                on.add(t);
            }
        });
        EventWebhook w = new EventWebhook(id, url, enabled != null && enabled, on, texts.get("friendly_name"),
                texts.get("oauth_client_id"), texts.get("oauth_client_secret"), texts.get("oauth_token_url"), null, now, now);
        return checkOauth(w);
    }

    public EventWebhook applyTo(EventWebhook w, Instant now) {
        Set<EventType> on = EnumSet.noneOf(EventType.class);
        on.addAll(w.events());
        events.forEach((t, v) -> {
            if (v) {
                on.add(t);
            } else {
                on.remove(t);
            }
        });
        EventWebhook updated = new EventWebhook(w.id(), url != null ? url : w.url(), enabled != null ? enabled : w.enabled(), on,
                texts.containsKey("friendly_name") ? texts.get("friendly_name") : w.friendlyName(),
                texts.containsKey("oauth_client_id") ? texts.get("oauth_client_id") : w.oauthClientId(),
                texts.containsKey("oauth_client_secret") ? texts.get("oauth_client_secret") : w.oauthClientSecret(),
                texts.containsKey("oauth_token_url") ? texts.get("oauth_token_url") : w.oauthTokenUrl(),
                w.signingKey(), w.createdDate(), now);
        return checkOauth(updated);
    }

    /** OAuth needs client id and token URL together, and a secret stored once. */
    private static EventWebhook checkOauth(EventWebhook w) {
        boolean id = w.oauthClientId() != null;
        boolean tokenUrl = w.oauthTokenUrl() != null;
        if (id != tokenUrl) {
            throw ApiError.badRequest(id ? "oauth_token_url" : "oauth_client_id", "oauth_client_id and oauth_token_url "
                    + "go together: set both to use OAuth, or pass empty strings for both to turn it off");
        }
        if (id && w.oauthClientSecret() == null) {
            throw ApiError.badRequest("oauth_client_secret", "oauth_client_secret is required when OAuth is first "
                    + "configured for a webhook; SendGrid keeps it and never returns it");
        }
        if (!id && w.oauthClientSecret() != null) {
            throw ApiError.badRequest("oauth_client_secret", "oauth_client_secret needs oauth_client_id and oauth_token_url");
        }
        if (tokenUrl) {
            validUrl(w.oauthTokenUrl());
        }
        return w;
    }
}
