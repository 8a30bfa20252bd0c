package io.gridsync.server.journal;

import io.gridsync.server.store.Dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * How the journal's writer claims messageIds and stores messages on its connection, inside the
 * transaction it holds: each database in the way it takes the fewest round trips and the least
 * parsing (SQLite: multi-row statements prepared once per size; PostgreSQL: one array statement
 * for the claims and one COPY for the messages).
 */
interface JournalStatements extends AutoCloseable {

    static JournalStatements on(Dialect dialect, Connection c, long windowMillis) throws SQLException {
        return dialect == Dialect.POSTGRESQL ? new PostgresJournalStatements(c, windowMillis)
                : new MultiRowJournalStatements(c, windowMillis);
    }

    /**
     * Claims the messageIds of {@code messages} (unique within the list): inserts each, or takes over
     * a row older than the de-duplication window that the purge has not removed yet. Returns those
     * that are new; the others are duplicates.
     */
    Set<String> claim(List<PendingMessage> messages) throws SQLException;

    /** Appends the messages, in list order (their seqs increase in that order); writeKeys parallel to rows. */
    void insert(List<PendingMessage> rows, List<String> writeKeys) throws SQLException;

    @Override
    void close();
}
