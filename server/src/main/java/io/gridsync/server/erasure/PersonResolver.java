package io.gridsync.server.erasure;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.store.Database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds every identifier linked to the ones an erasure names: the identity ledger (each contact's
 * full identifier set, each person's contact) and the journal (an identify carrying a userId and an
 * email links the two), repeated until nothing new turns up. Only identity fields link (userId,
 * anonymousId, traits, externalIds): an email in a track's properties does not make its sender
 * the same person.
 */
final class PersonResolver {

    private static final ObjectMapper M = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};
    private static final int MAX_ROUNDS = 5;

    private final Database db;

    PersonResolver(Database db) {
        this.db = db;
    }

    Person resolve(Set<Identifier> given) {
        return db.query(c -> {
            Set<Identifier> all = new LinkedHashSet<>(given);
            for (int round = 0; round < MAX_ROUNDS; round++) {
                int before = all.size();
                fromLedger(c, all);
                fromPersonContacts(c, all);
                fromJournal(c, all);
                if (all.size() == before) {
                    break;
                }
            }
            return new Person(all);
        });
    }

    private static void fromLedger(Connection c, Set<Identifier> all) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT identifiers FROM contact_identifiers WHERE type = ? AND lower(value) = lower(?)")) {
            for (Identifier id : List.copyOf(all)) {
                if (id.ledgerType() == null) {
                    continue;
                }
                ps.setString(1, id.ledgerType());
                ps.setString(2, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        addLedgerSet(all, rs.getString(1));
                    }
                }
            }
        }
    }

    private static void fromPersonContacts(Connection c, Set<Identifier> all) throws SQLException {
        Person p = new Person(all);
        List<String> keys = p.personKeys();
        StringBuilder sql = new StringBuilder("SELECT person_key, identifiers FROM person_contacts WHERE 1 = 0");
        keys.forEach(k -> sql.append(" OR person_key = ?"));
        p.likePatterns().forEach(k -> sql.append(" OR lower(identifiers) LIKE ? ESCAPE '\\'"));
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String k : keys) {
                ps.setString(i++, k);
            }
            for (String like : p.likePatterns()) {
                ps.setString(i++, like);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<Identifier> set = ledgerSet(rs.getString(2));
                    if (keys.contains(rs.getString(1)) || set.stream().anyMatch(all::contains)) {
                        all.addAll(set);
                        addPersonKey(all, rs.getString(1));
                    }
                }
            }
        }
    }

    private static void fromJournal(Connection c, Set<Identifier> all) throws SQLException {
        Person p = new Person(all);
        for (JournalMatch.Row row : JournalMatch.rows(c, p)) {
            Set<Identifier> carried = MessageIdentifiers.of(row.body());
            if (p.personKeys().contains(row.personKey()) || carried.stream().anyMatch(all::contains)) {
                all.addAll(carried);
            }
        }
    }

    private static void addLedgerSet(Set<Identifier> all, String json) {
        all.addAll(ledgerSet(json));
    }

    private static Set<Identifier> ledgerSet(String json) {
        Set<Identifier> out = new LinkedHashSet<>();
        Map<String, String> ids;
        try {
            ids = M.readValue(json, MAP);
        } catch (IOException e) {
            return out; // an unreadable row links nothing; it is removed by the erasure if it matches
        }
        ids.forEach((type, value) -> {
            if (Identifier.TYPES.contains(type) && value != null && !value.isBlank()) {
                out.add(new Identifier(type, value));
            }
        });
        return out;
    }

    private static void addPersonKey(Set<Identifier> all, String personKey) {
        if (personKey.startsWith("user:")) {
            all.add(new Identifier("user_id", personKey.substring(5)));
        } else if (personKey.startsWith("anon:")) {
            all.add(new Identifier("anonymous_id", personKey.substring(5)));
        }
    }
}
