package io.gridsync.core.action.syncaudience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gridsync.core.action.Action;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.ActionField;
import io.gridsync.core.action.ActionInput;
import io.gridsync.core.action.Outcome;

import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.contact.ContactLookup;
import io.gridsync.core.contact.ContactUpserter;
import io.gridsync.core.contact.ContactValidation;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gridsync.core.action.ActionSupport.failure;
import static io.gridsync.core.action.ActionSupport.jobOutcome;
import static io.gridsync.core.action.ActionSupport.text;

/**
 * Sync Audience: keeps a SendGrid list in step with an Engage audience. Entering adds the contact
 * to the list (an upsert with {@code list_ids}); leaving looks its id up and removes it from the
 * list. Contacts are never deleted here, and leaving a list one is not on is a successful no-op.
 */
public final class SyncAudience implements Action {

    public static final String KEY = "sync_audience";
    private static final Set<String> CLASSES = Set.of("audience", "journey_step");
    private static final String REMOVE_PREFIX = "/v3/marketing/lists/00000000-0000-0000-0000-000000000000/contacts?contact_ids=";

    private final ContactUpserter upserter = new ContactUpserter();

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String title() {
        return "Sync Audience";
    }

    @Override
    public List<ActionField> fields() {
        return SyncAudienceFields.ALL;
    }

    /** One validated membership change. */
    private record Change(int input, String listId, boolean member, ContactDraft contact) {
        String who() {
            return contact.identifiers().toString();
        }
    }

    @Override
    public List<Outcome> perform(List<ActionInput> batch, ActionContext ctx) {
        Outcome[] outcomes = new Outcome[batch.size()];
        Map<String, String> listIds = new HashMap<>();
        // the last change per (list, contact) wins; earlier ones in the batch are superseded by it
        Map<String, Change> latest = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                Change c = change(i, batch.get(i).payload(), ctx, listIds);
                Change earlier = latest.remove(c.listId() + "|" + c.contact().identifiers());
                if (earlier != null) {
                    outcomes[earlier.input()] = Outcome.done(0, "superseded by a later change for the same contact in this batch");
                }
                latest.put(c.listId() + "|" + c.contact().identifiers(), c);
            } catch (IllegalArgumentException e) {
                outcomes[i] = Outcome.dead(0, e.getMessage());
            } catch (SendGridException e) {
                outcomes[i] = failure(e, ctx, "could not find or create the audience's list: ");
            }
        }
        List<ContactDraft> adds = new ArrayList<>();
        List<Change> removes = new ArrayList<>();
        for (Change c : latest.values()) {
            if (c.member()) {
                adds.add(c.contact());
            } else {
                removes.add(c);
            }
        }
        upserter.upsert(adds, ctx).forEach((i, o) -> outcomes[i] = o);
        remove(removes, ctx, outcomes);
        return Arrays.asList(outcomes);
    }

    private Change change(int i, ObjectNode p, ActionContext ctx, Map<String, String> listIds) {
        String klass = text(p, "segment_computation_action");
        if (klass == null || !CLASSES.contains(klass)) {
            throw new IllegalArgumentException("not an audience change: context.personas.computation_class is "
                    + (klass == null ? "missing" : "'" + klass + "'") + " (expected audience or journey_step)");
        }
        String key = text(p, "segment_audience_key");
        if (key == null) {
            throw new IllegalArgumentException("the audience key (context.personas.computation_key) is missing");
        }
        JsonNode flag = p.path("traits_or_props").get(key);
        if (flag == null || !flag.isBoolean()) {
            throw new IllegalArgumentException("traits/properties['" + key + "'] must be true (entered) or false (left); got "
                    + (flag == null ? "nothing" : flag.toString()));
        }
        ContactDraft d = contact(p, ctx).input(i);
        String listId = text(p, "external_audience_id");
        if (listId == null) {
            String name = text(p, "list_name") != null ? text(p, "list_name") : key;
            listId = listIds.computeIfAbsent(name, n -> ctx.lists().findOrCreate(n));
        }
        d.list(listId);
        return new Change(i, listId, flag.asBoolean(), d);
    }

    private static ContactDraft contact(ObjectNode p, ActionContext ctx) {
        ContactDraft d = new ContactDraft();
        JsonNode ids = p.path("identifiers");
        String email = text(ids, "email");
        if (email != null) {
            if (!ContactValidation.isEmail(email)) {
                throw new IllegalArgumentException("email '" + email + "' is not a valid email address");
            }
            d.identifier("email", email);
        }
        String phone = text(ids, "phone_number_id");
        if (phone != null) {
            d.identifier("phone_number_id", ContactValidation.toE164(phone).orElseThrow(() ->
                    new IllegalArgumentException("phone_number_id '" + phone + "' is not a valid phone number in E.164")));
        }
        d.identifier("external_id", text(ids, "external_id"));
        d.identifier("anonymous_id", text(ids, "anonymous_id"));
        if (!d.hasIdentifier()) {
            throw new IllegalArgumentException("At least one identifier from Email Address, Phone Number ID, Anonymous ID "
                    + "or External ID is required.");
        }
        p.path("user_attributes").fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull() && !e.getValue().asText().isBlank()) {
                d.field(e.getKey(), TextNode.valueOf(e.getValue().asText()));
            }
        });
        for (String group : List.of("custom_text_fields", "custom_number_fields", "custom_date_fields")) {
            ctx.fields().writeCustomFields(d, p.get(group));
        }
        return d;
    }

    /** Looks the leaving contacts up (100 per search) and removes them from their lists in URL-sized batches. */
    private void remove(List<Change> removes, ActionContext ctx, Outcome[] outcomes) {
        Map<String, List<Change>> byList = new LinkedHashMap<>();
        removes.forEach(c -> byList.computeIfAbsent(c.listId(), k -> new ArrayList<>()).add(c));
        byList.forEach((listId, changes) -> {
            Map<Change, Map<String, String>> wanted = new LinkedHashMap<>();
            changes.forEach(c -> wanted.put(c, c.contact().identifiers()));
            Map<Change, String> contactIds;
            try {
                contactIds = ContactLookup.ids(wanted, ctx.api());
            } catch (SendGridException e) {
                changes.forEach(c -> outcomes[c.input()] = failure(e, ctx, "could not look the contact up: "));
                return;
            }
            for (Change c : changes) {
                if (!contactIds.containsKey(c)) {
                    outcomes[c.input()] = Outcome.done(0, "contact not in SendGrid; nothing to remove");
                }
            }
            List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(contactIds.values()));
            for (List<String> chunk : SendGridApi.idBatches(ids, REMOVE_PREFIX.length())) {
                Outcome o;
                try {
                    String job = ctx.api().removeFromList(listId, chunk);
                    o = jobOutcome(ctx.api().awaitJob(job, ctx.importTimeout()), "removed from list " + listId);
                } catch (SendGridException e) {
                    o = failure(e, ctx, "could not remove from list " + listId + ": ");
                }
                Set<String> inChunk = Set.copyOf(chunk);
                for (Map.Entry<Change, String> e : contactIds.entrySet()) {
                    if (inChunk.contains(e.getValue())) {
                        outcomes[e.getKey().input()] = o;
                    }
                }
            }
        });
    }

}
