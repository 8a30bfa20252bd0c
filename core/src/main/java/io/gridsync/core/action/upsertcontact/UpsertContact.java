package io.gridsync.core.action.upsertcontact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gridsync.core.action.Action;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.ActionField;
import io.gridsync.core.action.ActionInput;
import io.gridsync.core.action.Outcome;

import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.contact.ContactUpserter;
import io.gridsync.core.contact.ContactValidation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.gridsync.core.action.ActionSupport.text;

/** Upsert Contact: adds or updates contacts in SendGrid Marketing Campaigns, batched. */
public final class UpsertContact implements Action {

    public static final String KEY = "upsert_contact";

    /** Payload keys copied to the contact under SendGrid's reserved field names. */
    private static final Map<String, String> RESERVED = Map.ofEntries(
            Map.entry("first_name", "first_name"), Map.entry("last_name", "last_name"),
            Map.entry("country", "country"), Map.entry("postal_code", "postal_code"), Map.entry("city", "city"),
            Map.entry("state", "state_province_region"), Map.entry("address_line_1", "address_line_1"),
            Map.entry("address_line_2", "address_line_2"), Map.entry("phone_number", "phone_number"),
            Map.entry("whatsapp", "whatsapp"), Map.entry("line", "line"), Map.entry("facebook", "facebook"),
            Map.entry("unique_name", "unique_name"));

    private final ContactUpserter upserter = new ContactUpserter();

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String title() {
        return "Upsert Contact";
    }

    @Override
    public List<ActionField> fields() {
        return UpsertContactFields.ALL;
    }

    @Override
    public List<Outcome> perform(List<ActionInput> batch, ActionContext ctx) {
        Outcome[] outcomes = new Outcome[batch.size()];
        List<ContactDraft> drafts = new ArrayList<>();
        Map<String, Map<String, String>> persons = new java.util.LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                ContactDraft d = draft(batch.get(i).payload(), ctx).input(i);
                persons.put(batch.get(i).message().personKey(), d.identifiers());
                drafts.add(d);
            } catch (IllegalArgumentException e) {
                outcomes[i] = Outcome.dead(0, e.getMessage());
            }
        }
        ctx.identities().recordPersons(persons);
        upserter.upsert(drafts, ctx).forEach((i, o) -> outcomes[i] = o);
        return Arrays.asList(outcomes);
    }

    /** The contact a payload describes; a payload that cannot be sent is an error saying why. */
    static ContactDraft draft(ObjectNode p, ActionContext ctx) {
        ContactDraft d = new ContactDraft();
        String email = text(p, "primary_email");
        if (email != null) {
            if (!ContactValidation.isEmail(email.trim())) {
                throw new IllegalArgumentException("email '" + email + "' is not a valid email address");
            }
            d.identifier("email", email);
        }
        String phoneId = text(p, "phone_number_id");
        if (phoneId != null) {
            Optional<String> e164 = ContactValidation.toE164(phoneId);
            if (e164.isEmpty()) {
                throw new IllegalArgumentException("phone_number_id '" + phoneId + "' is not a valid phone number in E.164 "
                        + "(+ and country code, e.g. +442071838750); fix the value or map phone_number_id to nothing");
            }
            d.identifier("phone_number_id", e164.get());
        }
        d.identifier("external_id", text(p, "external_id"));
        d.identifier("anonymous_id", text(p, "anonymous_id"));
        if (!d.hasIdentifier()) {
            throw new IllegalArgumentException("Contact must have at least one identifying field included "
                    + "(email, phone_number_id, external_id, anonymous_id).");
        }
        RESERVED.forEach((field, sendGridName) -> {
            String v = text(p, field);
            if (v != null) {
                d.field(sendGridName, TextNode.valueOf(v));
            }
        });
        ctx.fields().writeCustomFields(d, p.get("customFields"));
        JsonNode lists = p.get("list_ids");
        if (lists != null) {
            if (lists.isArray()) {
                lists.forEach(l -> d.list(l.asText()));
            } else {
                d.list(lists.asText());
            }
        }
        d.list(ctx.defaultListId());
        return d;
    }

}
