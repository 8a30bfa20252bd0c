package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.integration.Subscription;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.server.integrations.IntegrationPatch;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.NewIntegration;
import io.gridsync.server.integrations.StoredIntegration;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The admin API's JSON shapes of integrations and subscriptions. The install body is the
 * integration-catalog call Datafly Signal users know; integrations are shown in the same shape,
 * with the API key masked.
 */
final class IntegrationJson {

    static final Set<String> INSTALL_FIELDS = Set.of("name", "variant", "config", "delivery_mode", "enabled", "subscriptions");
    static final Set<String> CONFIG_FIELDS = Set.of("api_key", "default_list_id", "endpoint", "consent_category",
            "create_missing_fields", "email");
    static final Set<String> PATCH_FIELDS = Set.of("name", "enabled", "delivery_mode", "config", "api_key", "default_list_id",
            "endpoint", "consent_category", "create_missing_fields");
    static final Set<String> SUBSCRIPTION_FIELDS = Set.of("name", "trigger", "action", "mapping", "enabled");

    private IntegrationJson() {}

    static ObjectNode render(StoredIntegration s, List<Subscription> subscriptions) {
        ObjectNode o = AdminJson.MAPPER.createObjectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("integration", "sendgrid");
        o.put("variant", s.variant());
        o.put("delivery_mode", s.deliveryMode());
        o.put("enabled", s.enabled());
        ObjectNode config = o.putObject("config");
        config.put("api_key", s.apiKeyMasked());
        config.put("endpoint", s.endpoint());
        config.put("default_list_id", s.defaultListId());
        config.put("consent_category", s.consentCategory());
        config.put("create_missing_fields", s.createMissingFields());
        config.set("email", s.emailPreset());
        ArrayNode subs = o.putArray("subscriptions");
        subscriptions.forEach(sub -> subs.add(render(sub)));
        o.put("created_at", s.createdAt().toString());
        o.put("updated_at", s.updatedAt().toString());
        return o;
    }

    static ObjectNode render(Subscription s) {
        ObjectNode o = AdminJson.MAPPER.createObjectNode();
        o.put("name", s.name());
        o.put("trigger", s.trigger());
        o.put("action", s.action());
        o.set("mapping", s.mapping());
        o.put("enabled", s.enabled());
        return o;
    }

    /** {@code {"name","variant","config":{...},"delivery_mode","enabled","subscriptions"}}. */
    static NewIntegration install(ObjectNode body) {
        AdminJson.onlyKnown(body, "", INSTALL_FIELDS);
        String name = AdminJson.text(body, "name", "");
        ObjectNode config = AdminJson.object(body, "config", "");
        if (config == null) {
            throw AdminError.badRequest("config is required: {\"api_key\": \"SG....\", \"default_list_id\": ..., ...}");
        }
        AdminJson.onlyKnown(config, "config.", CONFIG_FIELDS);
        String key = AdminJson.text(config, "api_key", "config.");
        if (key == null || key.isBlank()) {
            throw AdminError.badRequest("config.api_key is required: the SendGrid API key (it starts with SG.)");
        }
        ObjectNode email = AdminJson.object(config, "email", "config.");
        if (email != null && (!email.hasNonNull("event") || !email.get("event").isTextual())) {
            throw AdminError.badRequest("config.email needs an event (the track event that sends the email), a template_id "
                    + "(d-...) and a from {email, name}");
        }
        Boolean createMissing = AdminJson.bool(config, "create_missing_fields", "config.");
        Boolean enabled = AdminJson.bool(body, "enabled", "");
        List<Subscription> subs = null;
        JsonNode list = body.get("subscriptions");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw AdminError.badRequest("subscriptions must be an array of {name, trigger, action, mapping, enabled}");
            }
            subs = new ArrayList<>();
            int i = 0;
            for (JsonNode s : list) {
                if (!s.isObject()) {
                    throw AdminError.badRequest("subscriptions[" + i + "] must be an object");
                }
                subs.add(subscription((ObjectNode) s, null, "subscriptions[" + i++ + "]."));
            }
        }
        return new NewIntegration(name, AdminJson.text(body, "variant", ""), AdminJson.text(body, "delivery_mode", ""),
                AdminJson.text(config, "endpoint", "config."), new ApiKey(key),
                AdminJson.text(config, "default_list_id", "config."), AdminJson.text(config, "consent_category", "config."),
                createMissing != null && createMissing, email, enabled == null || enabled, subs);
    }

    /** PATCH: top-level or {@code config} members, each at most once. */
    static IntegrationPatch patch(ObjectNode body) {
        AdminJson.onlyKnown(body, "", PATCH_FIELDS);
        ObjectNode merged = body.deepCopy();
        merged.remove("config");
        ObjectNode config = AdminJson.object(body, "config", "");
        if (config != null) {
            if (config.has("email")) {
                throw AdminError.badRequest("config.email cannot be changed after install: the email preset is the stored "
                        + "send_email subscription; change it with PUT /v1/admin/integrations/{id}/subscriptions/{name}");
            }
            AdminJson.onlyKnown(config, "config.", Set.of("api_key", "default_list_id", "endpoint", "consent_category",
                    "create_missing_fields"));
            for (var it = config.fields(); it.hasNext(); ) {
                var e = it.next();
                if (merged.has(e.getKey())) {
                    throw AdminError.badRequest(e.getKey() + " is given twice (top level and in config); give it once");
                }
                merged.set(e.getKey(), e.getValue());
            }
        }
        String mode = AdminJson.text(merged, "delivery_mode", "");
        if (mode != null && !IntegrationStore.SERVER_SIDE.equals(mode)) {
            throw AdminError.badRequest("delivery_mode '" + mode + "' is not supported: gridsync delivers to SendGrid from the "
                    + "server only; use \"server_side\"");
        }
        String key = AdminJson.text(merged, "api_key", "");
        if (merged.has("api_key") && (key == null || key.isBlank())) {
            throw AdminError.badRequest("api_key cannot be removed; give the new SendGrid API key to rotate it");
        }
        Optional<String> defaultList = null;
        if (merged.has("default_list_id")) {
            defaultList = Optional.ofNullable(AdminJson.text(merged, "default_list_id", ""));
        }
        String consent = AdminJson.text(merged, "consent_category", "");
        if (merged.has("consent_category") && consent == null) {
            throw AdminError.badRequest("consent_category cannot be null; the default is marketing");
        }
        String endpoint = AdminJson.text(merged, "endpoint", "");
        if (merged.has("endpoint") && endpoint == null) {
            throw AdminError.badRequest("endpoint cannot be null; use global, eu or a URL");
        }
        String name = AdminJson.text(merged, "name", "");
        if (merged.has("name") && name == null) {
            throw AdminError.badRequest("name cannot be null");
        }
        return new IntegrationPatch(name, key == null ? null : new ApiKey(key), endpoint, defaultList, consent,
                AdminJson.bool(merged, "create_missing_fields", ""), AdminJson.bool(merged, "enabled", ""));
    }

    /**
     * {@code {"name","trigger","action","mapping","enabled"}}; {@code pathName}, when given, is the
     * name and the body may only repeat it.
     */
    static Subscription subscription(ObjectNode body, String pathName, String where) {
        AdminJson.onlyKnown(body, where, SUBSCRIPTION_FIELDS);
        String name = AdminJson.text(body, "name", where);
        if (pathName != null) {
            if (name != null && !name.equals(pathName)) {
                throw AdminError.badRequest("the body names the subscription '" + name + "' but the URL '" + pathName
                        + "'; to rename, add the new one and delete the old one");
            }
            name = pathName;
        }
        if (name == null) {
            throw AdminError.badRequest(where + "name is required");
        }
        JsonNode mapping = body.get("mapping");
        if (mapping != null && !mapping.isNull() && !mapping.isObject()) {
            throw AdminError.badRequest("subscription '" + name + "': mapping must be an object of field -> mapping");
        }
        Boolean enabled = AdminJson.bool(body, "enabled", where);
        return new Subscription(name, AdminJson.text(body, "trigger", where), AdminJson.text(body, "action", where),
                mapping == null || mapping.isNull() ? null : mapping, enabled == null || enabled);
    }
}
