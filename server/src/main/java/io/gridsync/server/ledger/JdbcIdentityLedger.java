package io.gridsync.server.ledger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.core.contact.IdentityLedger;
import io.gridsync.server.store.Database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity ledger of one integration, persisted: each identifier row holds the full identifier
 * set of its contact, so any one identifier finds all the others SendGrid already has.
 */
public final class JdbcIdentityLedger implements IdentityLedger {

    private static final ObjectMapper M = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

    private final Database db;
    private final String integrationId;

    public JdbcIdentityLedger(Database db, String integrationId) {
        this.db = db;
        this.integrationId = integrationId;
    }

    @Override
    public Map<String, String> known(Map<String, String> identifiers) {
        return knownAll(List.of(identifiers)).get(0);
    }

    @Override
    public List<Map<String, String>> knownAll(List<Map<String, String>> identifiers) {
        return db.query(c -> known(c, identifiers));
    }

    private List<Map<String, String>> known(Connection c, List<Map<String, String>> identifiers) throws SQLException {
        List<Map<String, String>> out = new ArrayList<>(identifiers.size());
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT identifiers FROM contact_identifiers WHERE integration_id = ? AND type = ? AND value = ?")) {
            for (Map<String, String> ids : identifiers) {
                Map<String, String> found = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : ids.entrySet()) {
                    ps.setString(1, integrationId);
                    ps.setString(2, e.getKey());
                    ps.setString(3, e.getValue());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            parse(rs.getString(1)).forEach(found::putIfAbsent);
                        }
                    }
                }
                out.add(found);
            }
        }
        return out;
    }

    @Override
    public void record(Map<String, String> identifiers) {
        recordAll(List.of(identifiers));
    }

    /** One transaction for all: each contact's identifiers merged with what was known, one row per identifier. */
    @Override
    public void recordAll(List<Map<String, String>> identifiers) {
        List<Map<String, String>> nonEmpty = identifiers.stream().filter(m -> !m.isEmpty()).toList();
        if (nonEmpty.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            List<Map<String, String>> known = known(c, nonEmpty);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO contact_identifiers (integration_id, type, value, identifiers) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (integration_id, type, value) DO UPDATE SET identifiers = excluded.identifiers")) {
                for (int i = 0; i < nonEmpty.size(); i++) {
                    Map<String, String> merged = new LinkedHashMap<>(known.get(i));
                    merged.putAll(nonEmpty.get(i));
                    String json = write(merged);
                    for (Map.Entry<String, String> e : merged.entrySet()) {
                        ps.setString(1, integrationId);
                        ps.setString(2, e.getKey());
                        ps.setString(3, e.getValue());
                        ps.setString(4, json);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Map<String, String> ofPerson(String personKey) {
        String json = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT identifiers FROM person_contacts WHERE integration_id = ? AND person_key = ?")) {
                ps.setString(1, integrationId);
                ps.setString(2, personKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        return json == null ? Map.of() : known(parse(json));
    }

    @Override
    public void recordPerson(String personKey, Map<String, String> identifiers) {
        recordPersons(Map.of(personKey, identifiers));
    }

    @Override
    public void recordPersons(Map<String, Map<String, String>> identifiersByPerson) {
        if (identifiersByPerson.values().stream().allMatch(Map::isEmpty)) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO person_contacts (integration_id, person_key, identifiers) "
                    + "VALUES (?, ?, ?) ON CONFLICT (integration_id, person_key) DO UPDATE SET identifiers = excluded.identifiers")) {
                for (Map.Entry<String, Map<String, String>> e : identifiersByPerson.entrySet()) {
                    if (e.getValue().isEmpty()) {
                        continue;
                    }
                    ps.setString(1, integrationId);
                    ps.setString(2, e.getKey());
                    ps.setString(3, write(e.getValue()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static Map<String, String> parse(String json) {
        try {
            return M.readValue(json, MAP);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt identity ledger row: " + e.getMessage(), e);
        }
    }

    private static String write(Map<String, String> ids) {
        try {
            return M.writeValueAsString(ids);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
