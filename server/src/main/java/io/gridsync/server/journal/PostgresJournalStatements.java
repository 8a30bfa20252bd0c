package io.gridsync.server.journal;

import io.gridsync.server.store.PostgresBinaryCopy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL's journal statements: a whole group's claims are one statement over two arrays (its
 * text never changes, so the server parses and plans it once per connection, where multi-row
 * VALUES of varying sizes were planned again and again), and its messages one binary COPY, which
 * is PostgreSQL's cheapest way to take rows (no value scanned for escapes on either side). Conflicts need no handling there: only claimed, new
 * messages are inserted. COPY assigns seqs in the order the rows are sent.
 */
final class PostgresJournalStatements implements JournalStatements {

    static final String CLAIM = "INSERT INTO message_ids (message_id, received_at)"
            + " SELECT * FROM unnest(?::text[], ?::bigint[])"
            + " ON CONFLICT (message_id) DO UPDATE SET received_at = excluded.received_at"
            + " WHERE message_ids.received_at < excluded.received_at - ? RETURNING message_id";
    static final String COPY = "COPY messages (message_id, write_key, type, person_key, received_at, body) FROM STDIN (FORMAT binary)";

    private final Connection c;
    private final long windowMillis;
    private final PreparedStatement claim;

    PostgresJournalStatements(Connection c, long windowMillis) throws SQLException {
        this.c = c;
        this.windowMillis = windowMillis;
        this.claim = c.prepareStatement(CLAIM);
    }

    @Override
    public Set<String> claim(List<PendingMessage> messages) throws SQLException {
        String[] ids = new String[messages.size()];
        Long[] received = new Long[messages.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = messages.get(i).messageId();
            received[i] = messages.get(i).receivedAt();
        }
        claim.setArray(1, c.createArrayOf("text", ids));
        claim.setArray(2, c.createArrayOf("bigint", received));
        claim.setLong(3, windowMillis);
        Set<String> fresh = new HashSet<>(ids.length * 2);
        try (ResultSet rs = claim.executeQuery()) {
            while (rs.next()) {
                fresh.add(rs.getString(1));
            }
        }
        return fresh;
    }

    @Override
    public void insert(List<PendingMessage> rows, List<String> writeKeys) throws SQLException {
        try (PostgresBinaryCopy copy = PostgresBinaryCopy.start(c, COPY, 6)) {
            for (int i = 0; i < rows.size(); i++) {
                PendingMessage m = rows.get(i);
                copy.row().text(m.messageId()).text(writeKeys.get(i)).text(m.type()).text(m.personKey())
                        .bigint(m.receivedAt()).text(m.body());
            }
            copy.finish();
        }
    }

    @Override
    public void close() {
        MultiRowJournalStatements.closeQuietly(claim);
    }
}
