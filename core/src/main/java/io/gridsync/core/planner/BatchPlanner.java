package io.gridsync.core.planner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.contact.IdentityLedger;
import io.gridsync.core.sendgrid.SendGridApi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns contact drafts into the fewest {@code PUT /v3/marketing/contacts} requests SendGrid accepts:
 * <ol>
 *   <li>carries every identifier the contact already has (from the identity ledger), because
 *       SendGrid refuses an update that leaves one out;</li>
 *   <li>coalesces drafts for the same contact (any shared identifier, emails compared
 *       case-insensitively), later fields winning, because SendGrid rejects duplicates in one request;</li>
 *   <li>groups contacts by their set of list ids, since {@code list_ids} is per request;</li>
 *   <li>splits each group at 30,000 contacts and 6 MB of serialized JSON.</li>
 * </ol>
 */
public final class BatchPlanner {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] COMMA = {','};
    private static final byte[] CLOSE = {']', '}'};

    private final int maxContacts;
    private final int maxBytes;

    public BatchPlanner() {
        this(SendGridApi.MAX_CONTACTS_PER_UPSERT, SendGridApi.MAX_UPSERT_BYTES);
    }

    public BatchPlanner(int maxContacts, int maxBytes) {
        this.maxContacts = maxContacts;
        this.maxBytes = maxBytes;
    }

    public List<UpsertRequest> plan(List<ContactDraft> drafts, IdentityLedger ledger) {
        List<Map<String, String>> asked = new ArrayList<>(drafts.size());
        drafts.forEach(d -> asked.add(d.identifiers()));
        List<Map<String, String>> known = ledger.knownAll(asked);
        for (int i = 0; i < drafts.size(); i++) {
            drafts.get(i).carry(known.get(i));
        }
        Map<Set<String>, List<ContactDraft>> groups = new LinkedHashMap<>();
        for (ContactDraft d : coalesce(drafts)) {
            groups.computeIfAbsent(d.listIds(), k -> new ArrayList<>()).add(d);
        }
        List<UpsertRequest> out = new ArrayList<>();
        groups.forEach((lists, contacts) -> split(List.copyOf(lists), contacts, out));
        return out;
    }

    /** Merges drafts that share any identifier; keeps first-seen order. */
    static List<ContactDraft> coalesce(List<ContactDraft> drafts) {
        // one index per identifier type, keyed by value: no composite keys to allocate per draft
        List<Map<String, ContactDraft>> byIdentifier = new ArrayList<>();
        for (int t = 0; t < ContactDraft.IDENTIFIERS.size(); t++) {
            byIdentifier.add(new HashMap<>(Math.max(16, drafts.size() * 2)));
        }
        List<ContactDraft> order = new ArrayList<>();
        for (ContactDraft d : drafts) {
            ContactDraft target = null;
            for (int t = 0; t < ContactDraft.IDENTIFIERS.size(); t++) {
                String v = d.identifier(t);
                ContactDraft other = v == null ? null : byIdentifier.get(t).get(v);
                if (other == null || other == target) {
                    continue;
                }
                if (target == null) {
                    target = other;
                } else {
                    // d links two contacts we had kept apart: fold the second into the first
                    target.absorb(other);
                }
            }
            if (target == null) {
                target = d;
                order.add(d);
            } else {
                target.absorb(d);
            }
            for (int t = 0; t < ContactDraft.IDENTIFIERS.size(); t++) {
                String v = target.identifier(t);
                if (v != null) {
                    byIdentifier.get(t).put(v, target);
                }
            }
        }
        List<ContactDraft> out = new ArrayList<>(order.size());
        for (ContactDraft d : order) {
            if (!d.isAbsorbed()) {
                out.add(d);
            }
        }
        return out;
    }

    private void split(List<String> listIds, List<ContactDraft> contacts, List<UpsertRequest> out) {
        byte[] head = head(listIds);
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(maxBytes, 1 << 20));
        List<ContactDraft> current = new ArrayList<>();
        body.writeBytes(head);
        for (ContactDraft c : contacts) {
            byte[] json = serialize(c);
            int needed = (current.isEmpty() ? 0 : 1) + json.length + CLOSE.length;
            if (head.length + json.length + CLOSE.length > maxBytes) {
                throw new IllegalArgumentException("one contact serializes to " + json.length + " bytes, more than a whole request may hold");
            }
            if (!current.isEmpty() && (current.size() >= maxContacts || body.size() + needed > maxBytes)) {
                body.writeBytes(CLOSE);
                out.add(new UpsertRequest(listIds, current, body.toByteArray()));
                current = new ArrayList<>();
                body.reset();
                body.writeBytes(head);
            }
            if (!current.isEmpty()) {
                body.writeBytes(COMMA);
            }
            body.writeBytes(json);
            current.add(c);
        }
        if (!current.isEmpty()) {
            body.writeBytes(CLOSE);
            out.add(new UpsertRequest(listIds, current, body.toByteArray()));
        }
    }

    /** {@code {"list_ids":[...],"contacts":[} : the part of every body before its first contact. */
    private static byte[] head(List<String> listIds) {
        try {
            String lists = listIds.isEmpty() ? "" : "\"list_ids\":" + MAPPER.writeValueAsString(listIds) + ",";
            return ("{" + lists + "\"contacts\":[").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] serialize(ContactDraft c) {
        try {
            return MAPPER.writeValueAsBytes(c.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
