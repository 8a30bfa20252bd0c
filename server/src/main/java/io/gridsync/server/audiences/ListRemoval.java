package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.sendgrid.ImportStatus;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes people out of a list (their contacts stay): emails whose contact id is not known are looked
 * up 100 per search, those not in SendGrid or not in the list need nothing, and the rest are removed
 * in as few URL-sized {@code DELETE .../lists/{id}/contacts} calls as fit. One outcome per email.
 */
final class ListRemoval {

    private ListRemoval() {}

    static final String REMOVED = "removed from the list";
    static final String ABSENT = "not in the list; nothing to remove";

    /**
     * @param emails lower-case emails to take out
     * @param knownIds contact ids already known (from an export), by email; others are searched
     */
    static Map<String, Outcome> remove(SendGridApi api, String listId, List<String> emails, Map<String, String> knownIds,
                                       Duration jobTimeout) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> search = new ArrayList<>();
        for (String e : emails) {
            String id = knownIds.get(e);
            if (id != null) {
                ids.put(e, id);
            } else {
                search.add(e);
            }
        }
        for (int from = 0; from < search.size(); from += SendGridApi.MAX_SEARCH_IDENTIFIERS) {
            List<String> chunk = search.subList(from, Math.min(search.size(), from + SendGridApi.MAX_SEARCH_IDENTIFIERS));
            Map<String, JsonNode> found;
            try {
                found = api.searchEmails(chunk);
            } catch (SendGridException e) {
                Outcome o = failure(e, "could not look the contact up: ");
                chunk.forEach(x -> out.put(x, o));
                continue;
            }
            for (String x : chunk) {
                JsonNode c = found.get(x);
                if (c == null || !inList(c, listId)) {
                    out.put(x, Outcome.done(200, ABSENT));
                } else {
                    ids.put(x, c.path("id").asText());
                }
            }
        }
        Map<String, List<String>> emailsById = new HashMap<>();
        ids.forEach((email, id) -> emailsById.computeIfAbsent(id, k -> new ArrayList<>()).add(email));
        String prefix = "/v3/marketing/lists/" + listId + "/contacts?contact_ids=";
        for (List<String> batch : SendGridApi.idBatches(new ArrayList<>(emailsById.keySet()), prefix.length())) {
            Outcome o;
            try {
                ImportStatus s = api.awaitJob(api.removeFromList(listId, batch), jobTimeout);
                o = "failed".equals(s.status()) || "errored".equals(s.status())
                        ? Outcome.dead(202, "SendGrid job " + s.id() + " removing from list " + listId + " " + s.status())
                        : Outcome.done(202, REMOVED);
            } catch (SendGridException e) {
                o = failure(e, "could not remove from list " + listId + ": ");
            }
            for (String id : batch) {
                for (String email : emailsById.get(id)) {
                    out.put(email, o);
                }
            }
        }
        return out;
    }

    private static boolean inList(JsonNode contact, String listId) {
        for (JsonNode l : contact.path("list_ids")) {
            if (l.asText().equals(listId)) {
                return true;
            }
        }
        return false;
    }

    private static Outcome failure(SendGridException e, String what) {
        return e.retryable() ? Outcome.retry(e.status(), what + e.getMessage(), java.time.Instant.now())
                : Outcome.dead(e.status(), what + e.getMessage());
    }

    /** Whether a removal outcome leaves the person out of the list. */
    static boolean gone(Outcome o) {
        return o instanceof Outcome.Done;
    }
}
