package io.gridsync.core.action.deletecontact;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.Action;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.ActionField;
import io.gridsync.core.action.ActionInput;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.contact.ContactLookup;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gridsync.core.action.ActionSupport.failure;
import static io.gridsync.core.action.ActionSupport.jobOutcome;
import static io.gridsync.core.action.ActionSupport.text;
import static io.gridsync.core.action.FieldDefaults.path;
import static io.gridsync.core.action.FieldDefaults.string;
import static io.gridsync.core.action.FieldDefaults.traitsElseProps;

/**
 * Delete Contact, for user deletion and erasure requests: finds the person's contact ids and
 * deletes them with {@code DELETE /v3/marketing/contacts?ids=}, split to stay under the URL limit.
 * A person SendGrid does not know is a successful no-op.
 */
public final class DeleteContact implements Action {

    public static final String KEY = "delete_contact";
    private static final String PREFIX = "/v3/marketing/contacts?ids=";

    private static final List<ActionField> FIELDS = List.of(
            string("email", "Email Address", "The contact's email.", traitsElseProps("email")),
            string("external_id", "External ID", "The contact's external id.", traitsElseProps("external_id")),
            string("phone_number_id", "Phone Number ID", "The contact's phone number id (E.164).", null),
            string("anonymous_id", "Anonymous ID", "The contact's anonymous id.", path("$.anonymousId")));

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String title() {
        return "Delete Contact";
    }

    @Override
    public List<ActionField> fields() {
        return FIELDS;
    }

    @Override
    public List<Outcome> perform(List<ActionInput> batch, ActionContext ctx) {
        Outcome[] outcomes = new Outcome[batch.size()];
        Map<Integer, Map<String, String>> wanted = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            ObjectNode p = batch.get(i).payload();
            ContactDraft d = new ContactDraft();
            for (String type : ContactDraft.IDENTIFIERS) {
                d.identifier(type, text(p, type));
            }
            d.carry(ctx.identities().ofPerson(batch.get(i).message().personKey()));
            if (!d.hasIdentifier()) {
                outcomes[i] = Outcome.dead(0, "no email, phone_number_id, external_id or anonymous_id to find the contact by");
            } else {
                wanted.put(i, d.identifiers());
            }
        }
        Map<Integer, String> ids;
        try {
            ids = ContactLookup.ids(wanted, ctx.api());
        } catch (SendGridException e) {
            Outcome o = failure(e, ctx, "could not look the contact up: ");
            wanted.keySet().forEach(i -> outcomes[i] = o);
            return Arrays.asList(outcomes);
        }
        wanted.keySet().forEach(i -> {
            if (!ids.containsKey(i)) {
                outcomes[i] = Outcome.done(0, "no such contact in SendGrid; nothing to delete");
            }
        });
        List<String> all = new ArrayList<>(new LinkedHashSet<>(ids.values()));
        for (List<String> chunk : SendGridApi.idBatches(all, PREFIX.length())) {
            Outcome o;
            try {
                o = jobOutcome(ctx.api().awaitJob(ctx.api().deleteContacts(chunk), ctx.importTimeout()), "contact deleted");
            } catch (SendGridException e) {
                o = failure(e, ctx, "could not delete the contact: ");
            }
            Set<String> inChunk = Set.copyOf(chunk);
            for (Map.Entry<Integer, String> e : ids.entrySet()) {
                if (inChunk.contains(e.getValue())) {
                    outcomes[e.getKey()] = o;
                }
            }
        }
        return Arrays.asList(outcomes);
    }
}
