package io.gridsync.server.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The journal messages of a person: their person key, or their identifiers anywhere in the body
 * (an email in a track's properties too). A substring search narrows the rows (a scan of the
 * journal: erasures are rare), then the parsed body is checked, so {@code ann@x.com} does not take
 * {@code joann@x.com} with it.
 */
final class JournalMatch {

    private static final ObjectMapper M = new ObjectMapper();

    record Row(long seq, String personKey, JsonNode body) {}

    private JournalMatch() {}

    static List<Row> rows(Connection c, Person p) throws SQLException {
        List<String> keys = p.personKeys();
        List<String> likes = p.likePatterns();
        StringBuilder sql = new StringBuilder("SELECT seq, person_key, body FROM messages WHERE 1 = 0");
        keys.forEach(k -> sql.append(" OR person_key = ?"));
        likes.forEach(k -> sql.append(" OR lower(body) LIKE ? ESCAPE '\\'"));
        List<Row> out = new ArrayList<>();
        if (keys.isEmpty() && likes.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String k : keys) {
                ps.setString(i++, k);
            }
            for (String like : likes) {
                ps.setString(i++, like);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode body = parse(rs.getString(3));
                    String key = rs.getString(2);
                    if (keys.contains(key) || body == null || belongs(body, p.identifiers())) {
                        out.add(new Row(rs.getLong(1), key, body == null ? M.createObjectNode() : body));
                    }
                }
            }
        }
        return out;
    }

    private static boolean belongs(JsonNode body, Set<Identifier> ids) {
        return MessageIdentifiers.mentions(body, ids) || MessageIdentifiers.of(body).stream().anyMatch(ids::contains);
    }

    /** Null for a body that is not JSON (it matched the substring search: it goes). */
    private static JsonNode parse(String body) {
        try {
            return M.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
