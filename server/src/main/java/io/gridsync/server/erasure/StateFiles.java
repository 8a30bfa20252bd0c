package io.gridsync.server.erasure;

import io.gridsync.server.store.Database;
import io.gridsync.server.store.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Makes the state database let go of an erasure's deleted bytes. SQLite: every connection has
 * {@code secure_delete} on (store.Database), so deleted cells and freed pages are zeroed; then the
 * free pages are given back (incremental auto-vacuum moves live pages into them, so stale free
 * pages of a file written before secure_delete are overwritten or cut off), and the WAL, which still
 * holds the old page images, is checkpointed and truncated to zero bytes. PostgreSQL: VACUUM of the
 * tables an erasure touches removes the dead tuples from their pages; WAL segments already written
 * and backups keep them until they are recycled (docs/privacy.md).
 */
final class StateFiles {

    static final List<String> TABLES = List.of("messages", "jobs", "attempts", "contact_identifiers", "person_contacts",
            "value_totals", "value_applied", "audience_members", "audience_runs", "forward_outbox", "source_runs", "erasures");
    private static final int PAGES_PER_TRANSACTION = 2_000;

    private final Database db;

    StateFiles(Database db) {
        this.db = db;
    }

    /** False when the WAL could not be emptied now (a reader held an old snapshot): the caller retries. */
    boolean releaseDeleted() {
        if (db.dialect() == Dialect.POSTGRESQL) {
            db.query(c -> {
                try (Statement st = c.createStatement()) {
                    for (String t : TABLES) {
                        st.execute("VACUUM " + t);
                    }
                }
                return null;
            });
            return true;
        }
        releaseFreePages();
        return db.query(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                return rs.next() && rs.getInt(1) == 0;
            }
        });
    }

    private void releaseFreePages() {
        if (db.query(c -> count(c, "PRAGMA auto_vacuum")) != 2) {
            return; // a file from before incremental auto-vacuum: its free pages were zeroed when freed under secure_delete
        }
        while (true) {
            long n = db.inTransaction(c -> {
                long pages = Math.min(count(c, "PRAGMA freelist_count"), PAGES_PER_TRANSACTION);
                // each step of incremental_vacuum frees one page, and the driver steps a statement once per execute
                try (PreparedStatement ps = c.prepareStatement("PRAGMA incremental_vacuum(" + pages + ")")) {
                    for (long i = 0; i < pages; i++) {
                        ps.execute();
                    }
                }
                return pages;
            });
            if (n < PAGES_PER_TRANSACTION) {
                return;
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
