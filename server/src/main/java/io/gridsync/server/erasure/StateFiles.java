package io.gridsync.server.erasure;

import io.gridsync.server.store.Database;
import io.gridsync.server.store.Dialect;
import io.gridsync.server.store.SqliteFreePages;

import java.sql.ResultSet;
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
        if (!SqliteFreePages.incremental(db)) {
            return; // a file from before incremental auto-vacuum: its free pages were zeroed when freed under secure_delete
        }
        try {
            SqliteFreePages.release(db, () -> { }); // an erasure is rare and small: no pause between chunks
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
