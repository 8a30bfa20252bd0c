package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.contact.ContactUpserter;
import io.gridsync.core.fields.FieldCatalog;
import io.gridsync.core.sendgrid.CustomField;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Applies the audience API's pending changes: per audience, up to 30,000 at a time, adds as one
 * upsert with the list id (through core's upserter and planner) and removals looked up and taken out
 * of the list. Transient failures wait and are tried again (backing off to 5 minutes); permanent
 * ones keep their reason on the member, visible in the API.
 */
public final class MemberChanges {

    private static final Logger log = LoggerFactory.getLogger(MemberChanges.class);
    private static final ObjectMapper M = new ObjectMapper();
    static final int BATCH = SendGridApi.MAX_CONTACTS_PER_UPSERT;

    private final AudienceStore store;
    private final MemberRequests requests;
    private final Function<String, Optional<AudienceAccount>> accounts;
    private final Clock clock;
    private final ContactUpserter upserter = new ContactUpserter();
    private final String owner = "members-" + UUID.randomUUID();

    /** @param accounts the SendGrid account of an enabled integration, by id; empty when there is none */
    public MemberChanges(AudienceStore store, MemberRequests requests, Function<String, Optional<AudienceAccount>> accounts, Clock clock) {
        this.store = store;
        this.requests = requests;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** Applies every change due now; returns how many were handled. */
    public int runDue() {
        int handled = 0;
        for (String[] a : requests.due(clock.millis())) {
            Optional<AudienceAccount> account = accounts.apply(a[0]);
            if (account.isEmpty()) {
                continue; // integration disabled or gone: the changes wait
            }
            if (!store.lock(a[0], a[1], owner, clock.millis(), CohortSync.LEASE_MILLIS)) {
                continue; // a cohort sync of this audience is running; next turn
            }
            try {
                List<PendingMember> batch;
                while (!(batch = requests.load(a[0], a[1], clock.millis(), BATCH)).isEmpty()) {
                    apply(a[0], a[1], batch, account.get());
                    handled += batch.size();
                    if (batch.size() < BATCH) {
                        break;
                    }
                }
            } finally {
                store.unlock(a[0], a[1], owner);
            }
        }
        return handled;
    }

    private void apply(String integrationId, String key, List<PendingMember> batch, AudienceAccount account) {
        long now = clock.millis();
        Map<String, Outcome> outcomes = new HashMap<>();
        Map<String, String> notes = new HashMap<>();
        Audience audience = store.get(integrationId, key).orElseThrow();
        String listId;
        try {
            listId = listId(audience, account);
        } catch (SendGridException e) {
            Outcome o = e.retryable() ? Outcome.retry(e.status(), "could not find or create the list: " + e.getMessage(), clock.instant())
                    : Outcome.dead(e.status(), "could not find or create the list: " + e.getMessage());
            batch.forEach(m -> outcomes.put(m.email(), o));
            finish(integrationId, key, batch, outcomes, notes, now);
            return;
        }
        List<ContactDraft> drafts = new ArrayList<>();
        List<String> addEmails = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        for (PendingMember m : batch) {
            if (!m.add()) {
                removes.add(m.email());
                continue;
            }
            ContactDraft d = new ContactDraft().identifier("email", m.email()).input(addEmails.size()).list(listId);
            String note = fields(d, m.fields(), account.fields);
            if (note != null) {
                notes.put(m.email(), note);
            }
            drafts.add(d);
            addEmails.add(m.email());
        }
        if (!drafts.isEmpty()) {
            PrefetchedLedger ledger = new PrefetchedLedger(store.database(), integrationId);
            ledger.prefetch(addEmails);
            upserter.upsert(drafts, account.context(ledger, clock)).forEach((i, o) -> outcomes.put(addEmails.get(i), o));
        }
        if (!removes.isEmpty()) {
            outcomes.putAll(ListRemoval.remove(account.api, listId, removes, Map.of(), account.jobTimeout));
        }
        finish(integrationId, key, batch, outcomes, notes, now);
    }

    private void finish(String integrationId, String key, List<PendingMember> batch, Map<String, Outcome> outcomes,
                        Map<String, String> notes, long now) {
        requests.complete(integrationId, key, batch, outcomes, notes, clock.millis(),
                attempts -> clock.millis() + Math.min(Duration.ofMinutes(5).toMillis(), 1000L << Math.min(attempts, 20)));
        boolean ok = outcomes.values().stream().allMatch(o -> o instanceof Outcome.Done);
        store.recordSync(integrationId, key, now, ok ? "ok" : "partial", null);
        log.info("audience '{}': applied {} member changes from the API{}", key, batch.size(), ok ? "" : " (some failed or wait for a retry)");
    }

    /** The audience's list id: the stored one while SendGrid still has it, else found or created by name. */
    private String listId(Audience a, AudienceAccount account) {
        if (a.listId() != null) {
            try {
                account.api.getList(a.listId());
                return a.listId();
            } catch (SendGridException e) {
                if (e.status() != 404) {
                    throw e;
                }
                account.lists.forget(a.listName());
            }
        }
        String id = account.lists.findOrCreate(a.listName());
        store.setList(a.integrationId(), a.key(), a.listName(), id, a.origin(), clock.millis());
        return id;
    }

    /**
     * Fills the draft from the API's fields: reserved contact fields by name, custom fields by name
     * (top level or under custom_fields). Answers a note naming what had to be left out, or null.
     */
    static String fields(ContactDraft d, String json, FieldCatalog catalog) {
        if (json == null) {
            return null;
        }
        ObjectNode o;
        try {
            o = (ObjectNode) M.readTree(json);
        } catch (IOException | ClassCastException e) {
            return "the stored fields could not be read";
        }
        List<String> left = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("custom_fields")) {
                for (Iterator<Map.Entry<String, JsonNode>> c = e.getValue().fields(); c.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = c.next();
                    custom(d, f.getKey(), f.getValue(), catalog, left);
                }
            } else if (ContactFields.RESERVED.contains(e.getKey())) {
                d.field(e.getKey(), TextNode.valueOf(e.getValue().asText()));
            } else {
                custom(d, e.getKey(), e.getValue(), catalog, left);
            }
        }
        return left.isEmpty() ? null : "left out: " + String.join("; ", left);
    }

    private static void custom(ContactDraft d, String name, JsonNode value, FieldCatalog catalog, List<String> left) {
        if (value == null || value.isNull()) {
            return;
        }
        Optional<CustomField> f = catalog.resolve(name);
        if (f.isEmpty()) {
            left.add("no custom field named '" + name + "'");
            return;
        }
        try {
            d.customField(f.get().id(), FieldCatalog.coerce(f.get(), value));
        } catch (IllegalArgumentException e) {
            left.add(e.getMessage());
        }
    }
}
