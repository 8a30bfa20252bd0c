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
import java.util.LinkedHashMap;
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
        Map<String, String> out = new LinkedHashMap<>();
        if (identifiers.isEmpty()) {
            return out;
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT identifiers FROM contact_identifiers WHERE integration_id = ? AND type = ? AND value = ?")) {
            for (Map.Entry<String, String> e : identifiers.entrySet()) {
                ps.setString(1, integrationId);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        parse(rs.getString(1)).forEach(out::putIfAbsent);
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("identity ledger read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void record(Map<String, String> identifiers) {
        if (identifiers.isEmpty()) {
            return;
        }
        Map<String, String> merged = new LinkedHashMap<>(known(identifiers));
        merged.putAll(identifiers);
        String json = write(merged);
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO contact_identifiers (integration_id, type, value, identifiers) "
                     + "VALUES (?, ?, ?, ?) ON CONFLICT (integration_id, type, value) DO UPDATE SET identifiers = excluded.identifiers")) {
            for (Map.Entry<String, String> e : merged.entrySet()) {
                ps.setString(1, integrationId);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                ps.setString(4, json);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("identity ledger write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> ofPerson(String personKey) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT identifiers FROM person_contacts WHERE integration_id = ? AND person_key = ?")) {
            ps.setString(1, integrationId);
            ps.setString(2, personKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? known(parse(rs.getString(1))) : Map.of();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("identity ledger read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void recordPerson(String personKey, Map<String, String> identifiers) {
        if (identifiers.isEmpty()) {
            return;
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO person_contacts (integration_id, person_key, identifiers) "
                     + "VALUES (?, ?, ?) ON CONFLICT (integration_id, person_key) DO UPDATE SET identifiers = excluded.identifiers")) {
            ps.setString(1, integrationId);
            ps.setString(2, personKey);
            ps.setString(3, write(identifiers));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("identity ledger write failed: " + e.getMessage(), e);
        }
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
