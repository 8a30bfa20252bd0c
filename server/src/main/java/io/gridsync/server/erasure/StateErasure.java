package io.gridsync.server.erasure;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Removes a person from the state database in one transaction: their journal messages; their jobs
 * cancelled ({@code discarded}, reason {@code erased}) or, when finished, kept without their person
 * key, and the attempts of both removed; the identity ledger's rows; lifetime-value totals; audience
 * memberships; forward-outbox events; and their identifiers in other rows' error texts and reports.
 * A job the router holds right now is left for the next attempt (the erasure retries), so a delivery
 * in flight cannot put the contact back after SendGrid's deletion.
 */
final class StateErasure {

    private static final ObjectMapper M = new ObjectMapper();
    static final String ERASED_KEY = "erased";

    private final Database db;

    StateErasure(Database db) {
        this.db = db;
    }

    /** What one pass removed, by store, and how many jobs were held by a router (to be retried). */
    record Result(Map<String, Long> counts, long leasedJobs) {}

    Result erase(Person p, long now) {
        return db.inTransaction(c -> {
            Map<String, Long> n = new LinkedHashMap<>();
            List<Long> seqs = new ArrayList<>();
            for (JournalMatch.Row row : JournalMatch.rows(c, p)) {
                seqs.add(row.seq());
            }
            long[] jobs = jobs(c, p, seqs, now);
            n.put("state_jobs_cancelled", jobs[0]);
            n.put("state_jobs_scrubbed", jobs[1]);
            n.put("state_attempts", jobs[2]);
            n.put("state_messages", deleteIn(c, "messages", "seq", seqs));
            n.put("state_ledger_identifiers", ledger(c, p));
            n.put("state_person_contacts", personContacts(c, p));
            n.put("state_value_totals", values(c, p));
            n.put("state_audience_members", deleteIn(c, "audience_members", "lower(email)", new ArrayList<>(p.emails())));
            n.put("state_forward_outbox", deleteLike(c, "forward_outbox", "id", "body", p));
            n.put("state_texts_redacted", redact(c, "attempts", "id", "detail", p) + redact(c, "jobs", "id", "last_error", p)
                    + redact(c, "audience_runs", "id", "report", p)
                    + redact(c, "source_runs", "id", "error", p));
            return new Result(n, jobs[3]);
        });
    }

    /** Cancels, scrubs and strips the attempts of the person's jobs; returns {cancelled, scrubbed, attempts, leased}. */
    private static long[] jobs(Connection c, Person p, List<Long> seqs, long now) throws SQLException {
        List<long[]> found = new ArrayList<>(); // id, final?, leased?
        StringBuilder sql = new StringBuilder("SELECT id, state, lease_until FROM jobs WHERE 1 = 0");
        p.personKeys().forEach(k -> sql.append(" OR person_key = ?"));
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String k : p.personKeys()) {
                ps.setString(i++, k);
            }
            collectJobs(ps, found, ids, now);
        }
        for (List<Long> chunk : chunks(seqs)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, state, lease_until FROM jobs WHERE message_seq IN (" + marks(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                collectJobs(ps, found, ids, now);
            }
        }
        long cancelled = 0;
        long scrubbed = 0;
        long leased = 0;
        List<Long> touched = new ArrayList<>();
        try (PreparedStatement cancel = c.prepareStatement("UPDATE jobs SET state = 'discarded', person_key = ?, last_error = ?, "
                + "updated_at = ? WHERE id = ?");
             PreparedStatement scrub = c.prepareStatement("UPDATE jobs SET person_key = ?, last_error = CASE WHEN last_error IS NULL "
                     + "THEN NULL ELSE ? END, updated_at = ? WHERE id = ?")) {
            for (long[] j : found) {
                if (j[2] == 1) {
                    leased++;
                    continue;
                }
                PreparedStatement ps = j[1] == 1 ? scrub : cancel;
                ps.setString(1, ERASED_KEY);
                ps.setString(2, "erased");
                ps.setLong(3, now);
                ps.setLong(4, j[0]);
                ps.executeUpdate();
                if (j[1] == 1) {
                    scrubbed++;
                } else {
                    cancelled++;
                }
                touched.add(j[0]);
            }
        }
        long attempts = deleteIn(c, "attempts", "job_id", touched);
        return new long[]{cancelled, scrubbed, attempts, leased};
    }

    private static void collectJobs(PreparedStatement ps, List<long[]> found, List<Long> ids, long now) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                if (ids.contains(id)) {
                    continue;
                }
                ids.add(id);
                String state = rs.getString(2);
                long leaseUntil = rs.getLong(3);
                boolean leased = !rs.wasNull() && leaseUntil > now && state.equals("pending");
                boolean finished = state.equals("done") || state.equals("discarded");
                found.add(new long[]{id, finished ? 1 : 0, leased ? 1 : 0});
            }
        }
    }

    private static long ledger(Connection c, Person p) throws SQLException {
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM contact_identifiers WHERE type = ? AND lower(value) = lower(?)")) {
            for (Identifier id : p.identifiers()) {
                if (id.ledgerType() != null) {
                    ps.setString(1, id.ledgerType());
                    ps.setString(2, id.value());
                    n += ps.executeUpdate();
                }
            }
        }
        // rows of other identifiers whose set still names the person (a ledger written before a merge)
        return n + deleteLike(c, "contact_identifiers", "integration_id || '|' || type || '|' || value", "identifiers", p);
    }

    private static long personContacts(Connection c, Person p) throws SQLException {
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM person_contacts WHERE person_key = ?")) {
            for (String k : p.personKeys()) {
                ps.setString(1, k);
                n += ps.executeUpdate();
            }
        }
        return n + deleteLike(c, "person_contacts", "integration_id || '|' || person_key", "identifiers", p);
    }

    /** Lifetime-value totals are keyed by the contact's first identifier as {@code type=value}. */
    private static long values(Connection c, Person p) throws SQLException {
        long n = 0;
        for (String table : List.of("value_totals", "value_applied")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE lower(contact_key) = lower(?)")) {
                for (Identifier id : p.identifiers()) {
                    if (id.ledgerType() != null) {
                        ps.setString(1, id.ledgerType() + "=" + id.value());
                        n += ps.executeUpdate();
                    }
                }
            }
        }
        return n;
    }

    /** Deletes the rows whose {@code column} holds one of the searchable identifiers as a whole JSON string (or, not JSON, as text). */
    private static long deleteLike(Connection c, String table, String key, String column, Person p) throws SQLException {
        List<String> keys = new ArrayList<>();
        forMatches(c, table, key, column, p, (k, text) -> keys.add(k));
        return deleteIn(c, table, key, new ArrayList<>(keys));
    }

    /** Replaces the identifiers in {@code column} of the rows that mention them by {@code [erased]}. */
    private static long redact(Connection c, String table, String key, String column, Person p) throws SQLException {
        Map<String, String> changed = new LinkedHashMap<>();
        forMatches(c, table, key, column, p, (k, text) -> changed.put(k, p.redact(text)));
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE CAST(" + key + " AS TEXT) = ?")) {
            for (Map.Entry<String, String> e : changed.entrySet()) {
                ps.setString(1, e.getValue());
                ps.setString(2, e.getKey());
                ps.executeUpdate();
            }
        }
        return changed.size();
    }

    private interface Match {
        void row(String key, String text);
    }

    private static void forMatches(Connection c, String table, String key, String column, Person p, Match each) throws SQLException {
        List<String> likes = p.likePatterns();
        if (likes.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT CAST(" + key + " AS TEXT), " + column + " FROM " + table + " WHERE 1 = 0");
        likes.forEach(l -> sql.append(" OR lower(").append(column).append(") LIKE ? ESCAPE '\\'"));
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < likes.size(); i++) {
                ps.setString(i + 1, likes.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String text = rs.getString(2);
                    if (mentions(text, p)) {
                        each.row(rs.getString(1), text);
                    }
                }
            }
        }
    }

    /** A JSON text naming an identifier as a whole value, or a plain text containing one. */
    private static boolean mentions(String text, Person p) {
        try {
            return MessageIdentifiers.mentions(M.readTree(text), p.identifiers())
                    || p.searchable().stream().anyMatch(i -> text.toLowerCase(java.util.Locale.ROOT).contains(i.value().toLowerCase(java.util.Locale.ROOT))
                    && !looksLikeJson(text));
        } catch (IOException e) {
            return true; // not JSON: the substring search matched it
        }
    }

    private static boolean looksLikeJson(String text) {
        String t = text.trim();
        return t.startsWith("{") || t.startsWith("[");
    }

    /** DELETE ... WHERE {@code column} IN (values), in chunks; values are Long or String. */
    private static long deleteIn(Connection c, String table, String column, List<?> values) throws SQLException {
        long n = 0;
        for (List<?> chunk : chunks(values)) {
            // text keys made by forMatches compare as text (PostgreSQL has no implicit bigint = varchar)
            String where = !values.isEmpty() && values.get(0) instanceof String && !column.startsWith("lower(")
                    ? "CAST(" + column + " AS TEXT)" : column;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + where + " IN (" + marks(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    Object v = chunk.get(i);
                    if (v instanceof Long l) {
                        ps.setLong(i + 1, l);
                    } else {
                        ps.setString(i + 1, (String) v);
                    }
                }
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    private static <T> List<List<T>> chunks(List<T> values) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i += 500) {
            out.add(values.subList(i, Math.min(values.size(), i + 500)));
        }
        return out;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
