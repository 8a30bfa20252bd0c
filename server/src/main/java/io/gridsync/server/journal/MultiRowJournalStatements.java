package io.gridsync.server.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SQLite's journal statements: a group is written as a few multi-row statements, largest first
 * (837 rows: 1 x 500, 3 x 100, 3 x 10, 7 x 1), each prepared once. One statement per chunk rather
 * than one per row roughly halves the writer's time per message, as each statement execution
 * crosses JNI.
 */
final class MultiRowJournalStatements implements JournalStatements {

    private static final int[] CHUNKS = {500, 100, 10, 1};

    private final long windowMillis;
    private final PreparedStatement[] claim = new PreparedStatement[CHUNKS.length];
    private final PreparedStatement[] insert = new PreparedStatement[CHUNKS.length];

    MultiRowJournalStatements(Connection c, long windowMillis) throws SQLException {
        this.windowMillis = windowMillis;
        try {
            for (int i = 0; i < CHUNKS.length; i++) {
                claim[i] = c.prepareStatement(claimSql(CHUNKS[i]));
                insert[i] = c.prepareStatement(insertSql(CHUNKS[i]));
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    static String claimSql(int rows) {
        return "INSERT INTO message_ids (message_id, received_at) VALUES " + values(rows, 2)
                + " ON CONFLICT (message_id) DO UPDATE SET received_at = excluded.received_at"
                + " WHERE message_ids.received_at < excluded.received_at - ? RETURNING message_id";
    }

    static String insertSql(int rows) {
        return "INSERT INTO messages (message_id, write_key, type, person_key, received_at, body) VALUES " + values(rows, 6);
    }

    private static String values(int rows, int columns) {
        String row = "(" + "?, ".repeat(columns - 1) + "?)";
        StringBuilder b = new StringBuilder(rows * (row.length() + 2));
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "" : ", ").append(row);
        }
        return b.toString();
    }

    @Override
    public Set<String> claim(List<PendingMessage> messages) throws SQLException {
        Set<String> fresh = new HashSet<>(messages.size() * 2);
        int at = 0;
        for (int c = 0; c < CHUNKS.length; c++) {
            PreparedStatement ps = claim[c];
            while (messages.size() - at >= CHUNKS[c]) {
                int k = 1;
                for (int i = 0; i < CHUNKS[c]; i++) {
                    PendingMessage m = messages.get(at++);
                    ps.setString(k++, m.messageId());
                    ps.setLong(k++, m.receivedAt());
                }
                ps.setLong(k, windowMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        fresh.add(rs.getString(1));
                    }
                }
            }
        }
        return fresh;
    }

    @Override
    public void insert(List<PendingMessage> rows, List<String> writeKeys) throws SQLException {
        int at = 0;
        for (int c = 0; c < CHUNKS.length; c++) {
            PreparedStatement ps = insert[c];
            while (rows.size() - at >= CHUNKS[c]) {
                int k = 1;
                for (int i = 0; i < CHUNKS[c]; i++, at++) {
                    PendingMessage m = rows.get(at);
                    ps.setString(k++, m.messageId());
                    ps.setString(k++, writeKeys.get(at));
                    ps.setString(k++, m.type());
                    ps.setString(k++, m.personKey());
                    ps.setLong(k++, m.receivedAt());
                    ps.setString(k++, m.body());
                }
                ps.executeUpdate();
            }
        }
    }

    @Override
    public void close() {
        for (PreparedStatement ps : claim) {
            closeQuietly(ps);
        }
        for (PreparedStatement ps : insert) {
            closeQuietly(ps);
        }
    }

    static void closeQuietly(PreparedStatement ps) {
        if (ps == null) {
            return;
        }
        try {
            ps.close();
        } catch (SQLException ignored) {
            // the connection is being dropped or returned; nothing to keep
        }
    }
}
