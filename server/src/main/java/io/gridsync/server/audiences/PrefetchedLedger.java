package io.gridsync.server.audiences;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.core.contact.IdentityLedger;
import io.gridsync.server.store.Database;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The integration's identity ledger as an audience batch needs it: the identifiers SendGrid already
 * holds for the batch's emails are read in a few queries before the batch is planned (SendGrid
 * refuses an update that leaves one out), instead of one query per contact. Nothing is recorded:
 * audience contacts carry only email plus what this ledger already knew, so there is nothing new.
 */
final class PrefetchedLedger implements IdentityLedger {

    private static final ObjectMapper M = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};
    private static final int IN_LIST = 500;

    private final Database db;
    private final String integrationId;
    private final Map<String, Map<String, String>> byEmail = new HashMap<>();

    PrefetchedLedger(Database db, String integrationId) {
        this.db = db;
        this.integrationId = integrationId;
    }

    /** Reads the ledger rows of these (lower-case) emails, replacing the previous batch's. */
    void prefetch(List<String> emails) {
        byEmail.clear();
        for (int from = 0; from < emails.size(); from += IN_LIST) {
            List<String> chunk = emails.subList(from, Math.min(emails.size(), from + IN_LIST));
            db.query(c -> {
                String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement("SELECT value, identifiers FROM contact_identifiers "
                        + "WHERE integration_id = ? AND type = 'email' AND value IN (" + marks + ")")) {
                    ps.setString(1, integrationId);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            byEmail.put(rs.getString(1), parse(rs.getString(2)));
                        }
                    }
                }
                return null;
            });
        }
    }

    @Override
    public Map<String, String> known(Map<String, String> identifiers) {
        String email = identifiers.get("email");
        Map<String, String> k = email == null ? null : byEmail.get(email);
        return k == null ? Map.of() : k;
    }

    @Override
    public void record(Map<String, String> identifiers) {
        // nothing new to learn: see the class comment
    }

    @Override
    public Map<String, String> ofPerson(String personKey) {
        return Map.of();
    }

    @Override
    public void recordPerson(String personKey, Map<String, String> identifiers) {
        // audiences are keyed by email, not by person
    }

    private static Map<String, String> parse(String json) {
        try {
            return M.readValue(json, MAP);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt identity ledger row: " + e.getMessage(), e);
        }
    }
}
