package io.gridsync.core.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.behaviour.UpdateContactFields;
import io.gridsync.core.action.sendemail.SendEmail;
import io.gridsync.core.action.syncaudience.SyncAudience;
import io.gridsync.core.action.upsertcontact.UpsertContact;

import java.util.ArrayList;
import java.util.List;

/**
 * The subscriptions users get without writing any: identify -> Upsert Contact; Engage audience
 * changes -> Sync Audience; page, screen, Product Viewed, Order Completed -> Update Contact Fields;
 * and, when the integration names an email event and template, that event -> Send Email.
 */
public final class Presets {

    private Presets() {}

    /**
     * @param email {@code {"event": "Signed Up", "template_id": "d-...", "from": {"email": ..., "name": ...}}} or null
     */
    public static List<Subscription> subscriptions(JsonNode email) {
        List<Subscription> subs = new ArrayList<>();
        subs.add(new Subscription("Identify to contact", "type = \"identify\"", UpsertContact.KEY, null, true));
        subs.add(new Subscription("Engage audiences to lists", "context.personas.computation_key exists", SyncAudience.KEY, null, true));
        subs.add(new Subscription("Behaviour to contact fields",
                "type = \"page\" or type = \"screen\" or event = \"Product Viewed\" or event = \"Order Completed\"",
                UpdateContactFields.KEY, null, true));
        if (email != null && email.hasNonNull("event")) {
            String event = email.get("event").asText();
            if (event.contains("\"")) {
                throw new IllegalArgumentException("email.event must not contain a double quote");
            }
            ObjectNode mapping = JsonNodeFactory.instance.objectNode();
            if (email.hasNonNull("template_id")) {
                mapping.set("template_id", email.get("template_id"));
            }
            if (email.hasNonNull("from")) {
                mapping.set("from", email.get("from"));
            }
            subs.add(new Subscription("Email on " + event, "type = \"track\" and event = \"" + event + "\"", SendEmail.KEY,
                    mapping, true));
        }
        return List.copyOf(subs);
    }
}
