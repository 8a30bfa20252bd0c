package io.gridsync.core.contact;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.sendgrid.SendGridApi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds SendGrid contact ids for sets of identifiers: by email first, then by the other
 * identifiers for those still unfound, at most 100 identifiers per search call.
 */
public final class ContactLookup {

    private ContactLookup() {}

    /** Contact id per key, for the keys whose identifiers match a contact; others are absent. */
    public static <K> Map<K, String> ids(Map<K, Map<String, String>> identifiersByKey, SendGridApi api) {
        Map<K, String> found = new LinkedHashMap<>();
        for (String type : ContactDraft.IDENTIFIERS) {
            Map<String, List<K>> wanted = new LinkedHashMap<>();
            identifiersByKey.forEach((key, ids) -> {
                String v = ids.get(type);
                if (v != null && !found.containsKey(key)) {
                    wanted.computeIfAbsent(v, k -> new ArrayList<>()).add(key);
                }
            });
            List<String> values = new ArrayList<>(wanted.keySet());
            for (int from = 0; from < values.size(); from += SendGridApi.MAX_SEARCH_IDENTIFIERS) {
                List<String> chunk = values.subList(from, Math.min(values.size(), from + SendGridApi.MAX_SEARCH_IDENTIFIERS));
                Map<String, JsonNode> result = type.equals("email") ? api.searchEmails(chunk) : api.searchIdentifiers(type, chunk);
                result.forEach((value, contact) -> {
                    List<K> keys = wanted.get(value);
                    if (keys != null && contact.hasNonNull("id")) {
                        keys.forEach(k -> found.put(k, contact.get("id").asText()));
                    }
                });
            }
        }
        return found;
    }
}
