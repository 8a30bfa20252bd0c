package io.gridsync.core.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A SendGrid account gridsync delivers to, and what it delivers: the subscriptions (trigger ->
 * action + mapping). The API key is not part of this record; it is handed to the client apart,
 * so that an integration can be printed or stored without it.
 *
 * @param consentCategory     messages whose consent sets this category to false are not delivered
 * @param createMissingFields whether behaviour fields are created in SendGrid when missing
 */
public record Integration(String name, String endpoint, String defaultListId, String consentCategory,
                          boolean createMissingFields, List<Subscription> subscriptions) {

    public static final String DEFAULT_CONSENT_CATEGORY = "marketing";

    /**
     * Reads an integration file (docs/mappings.md). Without {@code subscriptions} the presets apply;
     * with {@code "presets": true} they are added before the file's own subscriptions.
     */
    public static Integration fromJson(JsonNode json, String defaultListIdFallback) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("an integration is a JSON object with name, subscriptions, ...");
        }
        String defaultList = text(json, "default_list_id", defaultListIdFallback);
        List<Subscription> subs = new ArrayList<>();
        JsonNode list = json.get("subscriptions");
        boolean presets = json.path("presets").asBoolean(list == null);
        if (presets) {
            subs.addAll(Presets.subscriptions(json.get("email")));
        }
        if (list != null) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("subscriptions must be an array of {name, trigger, action, mapping}");
            }
            int i = 0;
            for (JsonNode s : list) {
                String where = "subscriptions[" + i++ + "]";
                String trigger = text(s, "trigger", null);
                String action = text(s, "action", null);
                if (trigger == null || action == null) {
                    throw new IllegalArgumentException(where + " needs a trigger (e.g. type = \"identify\") and an action "
                            + "(one of " + Actions.keys() + ")");
                }
                JsonNode mapping = s.get("mapping");
                if (mapping != null && !mapping.isNull() && !mapping.isObject()) {
                    throw new IllegalArgumentException(where + ".mapping must be an object of field -> mapping");
                }
                subs.add(new Subscription(text(s, "name", action + " " + i), trigger, action,
                        mapping == null || mapping.isNull() ? null : (ObjectNode) mapping, s.path("enabled").asBoolean(true)));
            }
        }
        Integration integration = new Integration(text(json, "name", "sendgrid"), text(json, "endpoint", null), defaultList,
                text(json, "consent_category", DEFAULT_CONSENT_CATEGORY), json.path("create_missing_fields").asBoolean(false),
                List.copyOf(subs));
        Actions.compile(integration); // fail now, naming the subscription, rather than at the first event
        return integration;
    }

    /** The presets alone, for a run with no integration file. */
    public static Integration presets(String defaultListId) {
        return new Integration("sendgrid", null, defaultListId, DEFAULT_CONSENT_CATEGORY, true, Presets.subscriptions(null));
    }

    private static String text(JsonNode json, String field, String fallback) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? fallback : v.asText().trim();
    }
}
