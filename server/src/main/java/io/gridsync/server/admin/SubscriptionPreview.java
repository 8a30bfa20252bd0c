package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.Action;
import io.gridsync.core.action.ActionPayloads;
import io.gridsync.core.deliver.Delivery;
import io.gridsync.core.integration.Actions;
import io.gridsync.core.integration.Trigger;
import io.gridsync.core.message.Message;
import io.gridsync.server.integrations.IntegrationStore;
import io.javalin.http.Context;

import java.util.Set;

/**
 * {@code POST /v1/admin/integrations/{id}/subscriptions/preview}: runs one message through a
 * subscription's trigger and mapping, as the router and the action would, and answers the payload
 * the action would send SendGrid; nothing is saved or sent. Errors name the field they are in
 * ({@code fields.trigger}, {@code fields.action}, {@code fields.mapping}) so a form can show them there.
 */
final class SubscriptionPreview {

    private final IntegrationStore store;

    SubscriptionPreview(IntegrationStore store) {
        this.store = store;
    }

    void handle(Context ctx, String integrationId) throws Exception {
        ObjectNode req = AdminJson.readObject(ctx, false);
        AdminJson.onlyKnown(req, "", Set.of("subscription", "message"));
        ObjectNode sub = AdminJson.object(req, "subscription", "");
        ObjectNode message = AdminJson.object(req, "message", "");
        if (sub == null || message == null) {
            throw AdminError.badRequest("send {\"subscription\": {\"trigger\", \"action\", \"mapping\"}, \"message\": {...}}: "
                    + "the subscription as it would be saved and a message such as one from GET /v1/admin/events/{seq}");
        }
        AdminJson.onlyKnown(sub, "subscription.", IntegrationJson.SUBSCRIPTION_FIELDS);
        ObjectNode fields = AdminJson.MAPPER.createObjectNode();
        Trigger trigger = null;
        String triggerText = AdminJson.text(sub, "trigger", "subscription.");
        try {
            trigger = Trigger.parse(triggerText == null ? "" : triggerText);
        } catch (RuntimeException e) {
            fields.put("trigger", triggerText == null || triggerText.isBlank() ? "a trigger is required, e.g. type = \"identify\"" : e.getMessage());
        }
        Action action = null;
        String actionKey = AdminJson.text(sub, "action", "subscription.");
        try {
            action = Actions.get(actionKey == null ? "" : actionKey);
        } catch (RuntimeException e) {
            fields.put("action", actionKey == null ? "an action is required, one of " + Actions.keys() : e.getMessage());
        }
        ActionPayloads payloads = null;
        JsonNode mapping = sub.get("mapping");
        if (action != null) {
            try {
                payloads = new ActionPayloads(action, mapping == null || mapping.isNull() ? null : mapping);
            } catch (RuntimeException e) {
                fields.put("mapping", e.getMessage());
            }
        }
        if (!fields.isEmpty()) {
            ObjectNode body = AdminJson.MAPPER.createObjectNode();
            body.put("error", fields.properties().iterator().next().getValue().asText());
            body.set("fields", fields);
            AdminJson.write(ctx, 422, body);
            return;
        }
        Message m = new Message(message);
        ObjectNode payload = payloads.resolve(m);
        ObjectNode body = AdminJson.MAPPER.createObjectNode();
        body.put("matches", trigger.matches(message));
        body.put("action", action.key());
        body.put("blocked_by_consent", Delivery.blockedByConsent(store.toCore(integrationId), m));
        body.set("payload", payload);
        var missing = body.putArray("missing_required");
        payloads.missingRequired(payload).forEach(missing::add);
        AdminJson.write(ctx, 200, body);
    }
}
