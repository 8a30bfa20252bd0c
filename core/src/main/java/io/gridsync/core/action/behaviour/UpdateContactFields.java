package io.gridsync.core.action.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
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
import io.gridsync.core.fields.FieldCatalog;
import io.gridsync.core.message.Message;
import io.gridsync.core.sendgrid.CustomField;
import io.gridsync.core.sendgrid.SendGridException;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.gridsync.core.action.ActionSupport.failure;
import static io.gridsync.core.action.ActionSupport.text;

/**
 * Update Contact Fields from behaviour (the Datafly mapping): {@code page}/{@code screen} set the
 * last page URL, {@code Product Viewed} the last product id, {@code Order Completed} the last
 * purchase date and a running lifetime value (each order added once, by messageId, so a retry
 * never counts it twice), and consent preferences the consent field.
 */
public final class UpdateContactFields implements Action {

    public static final String KEY = "update_contact_fields";
    /** How long a track event waits for its person's first identify before trying again. */
    static final Duration WAIT_FOR_IDENTIFY = Duration.ofMinutes(5);

    private final ContactUpserter upserter = new ContactUpserter();

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String title() {
        return "Update Contact Fields from behaviour";
    }

    @Override
    public List<ActionField> fields() {
        return UpdateContactFieldsFields.ALL;
    }

    @Override
    public List<Outcome> perform(List<ActionInput> batch, ActionContext ctx) {
        Outcome[] outcomes = new Outcome[batch.size()];
        List<ContactDraft> drafts = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ActionInput in = batch.get(i);
            try {
                ContactDraft d = contact(in, ctx);
                if (d == null) {
                    outcomes[i] = Outcome.retry(0, "no email or identify seen yet for " + in.message().personKey()
                            + "; waiting for an identify", ctx.clock().instant().plus(WAIT_FOR_IDENTIFY));
                    continue;
                }
                if (!write(in, d.input(i), ctx)) {
                    outcomes[i] = Outcome.done(0, "nothing to update for " + in.message());
                    continue;
                }
                drafts.add(d);
            } catch (IllegalArgumentException e) {
                outcomes[i] = Outcome.dead(0, e.getMessage());
            } catch (SendGridException e) {
                outcomes[i] = failure(e, ctx, "could not read or create custom fields: ");
            }
        }
        upserter.upsert(drafts, ctx).forEach((i, o) -> outcomes[i] = o);
        return Arrays.asList(outcomes);
    }

    private static ContactDraft contact(ActionInput in, ActionContext ctx) {
        ContactDraft d = new ContactDraft();
        String email = text(in.payload(), "email");
        if (email != null) {
            if (!ContactValidation.isEmail(email)) {
                throw new IllegalArgumentException("email '" + email + "' is not a valid email address");
            }
            d.identifier("email", email);
            return d;
        }
        Map<String, String> known = ctx.identities().ofPerson(in.message().personKey());
        if (known.isEmpty()) {
            return null;
        }
        known.forEach(d::identifier);
        return d;
    }

    /** Writes what this message says into the draft; false when it says nothing. */
    private static boolean write(ActionInput in, ContactDraft d, ActionContext ctx) {
        ObjectNode p = in.payload();
        Message m = in.message();
        boolean wrote = false;
        String type = m.type();
        if ((type.equals("page") || type.equals("screen")) && text(p, "page_url") != null) {
            set(d, ctx, text(p, "last_page_field"), "Text", TextNode.valueOf(text(p, "page_url")));
            wrote = true;
        }
        if (type.equals("track") && "Product Viewed".equals(m.event()) && text(p, "product_id") != null) {
            set(d, ctx, text(p, "last_product_field"), "Text", TextNode.valueOf(text(p, "product_id")));
            wrote = true;
        }
        if (type.equals("track") && "Order Completed".equals(m.event())) {
            if (p.hasNonNull("occurred_at")) {
                set(d, ctx, text(p, "last_purchase_field"), "Date", p.get("occurred_at"));
            }
            JsonNode value = p.get("order_value");
            if (value != null && !value.isNull()) {
                BigDecimal amount;
                try {
                    amount = new BigDecimal(value.asText().trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("order value " + value + " is not a number");
                }
                String contactKey = d.identifiers().entrySet().iterator().next().toString();
                BigDecimal total = ctx.values().addOnce(contactKey, "lifetime_value", m.messageId(), amount);
                set(d, ctx, text(p, "lifetime_value_field"), "Number", DecimalNode.valueOf(total));
            }
            wrote = true;
        }
        JsonNode consent = p.get("consent");
        if (consent != null && consent.isObject() && !consent.isEmpty()) {
            TreeSet<String> granted = new TreeSet<>();
            consent.fields().forEachRemaining(e -> {
                if (e.getValue().asBoolean(false)) {
                    granted.add(e.getKey());
                }
            });
            set(d, ctx, text(p, "consent_field"), "Text", TextNode.valueOf(String.join(",", granted)));
            wrote = true;
        }
        return wrote;
    }

    private static void set(ContactDraft d, ActionContext ctx, String fieldName, String type, JsonNode value) {
        if (fieldName == null) {
            return;
        }
        CustomField f = ctx.createMissingFields()
                ? ctx.fields().ensure(fieldName, type)
                : ctx.fields().resolve(fieldName).orElseThrow(() -> new IllegalArgumentException("custom field '" + fieldName
                        + "' does not exist in SendGrid: create it as a " + type + " field, or let the integration create "
                        + "missing fields (create_missing_fields: true)"));
        d.customField(f.id(), FieldCatalog.coerce(f, value));
    }
}
