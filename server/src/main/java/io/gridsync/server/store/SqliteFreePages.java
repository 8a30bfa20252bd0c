package io.gridsync.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Gives a SQLite file's free pages back to the file system (incremental auto-vacuum), a chunk per
 * transaction so the writers get the database in between. Retention calls it after deleting old
 * rows, erasure after deleting a person.
 */
public final class SqliteFreePages {

    /** Pages given back per transaction: 8 MiB of 4 KiB pages, some tens of milliseconds of the write lock. */
    public static final int PAGES_PER_CHUNK = 2_000;

    private SqliteFreePages() {}

    /** What to do between two chunks (wait a little, so writers get their turn). */
    public interface BetweenChunks {
        void pause() throws InterruptedException;
    }

    /** Whether the file gives pages back at all (incremental auto-vacuum is on). */
    public static boolean incremental(Database db) {
        return db.query(c -> count(c, "PRAGMA auto_vacuum")) == 2;
    }

    /** Gives every free page back, {@link #PAGES_PER_CHUNK} per transaction; returns how many. */
    public static long release(Database db, BetweenChunks between) throws InterruptedException {
        long released = 0;
        while (true) {
            long n = db.inTransaction(c -> {
                long pages = Math.min(count(c, "PRAGMA freelist_count"), PAGES_PER_CHUNK);
                // each step of incremental_vacuum frees one page, and the driver steps a statement once per execute
                try (PreparedStatement ps = c.prepareStatement("PRAGMA incremental_vacuum(" + pages + ")")) {
                    for (long i = 0; i < pages; i++) {
                        ps.execute();
                    }
                }
                return pages;
            });
            released += n;
            if (n < PAGES_PER_CHUNK) {
                return released;
            }
            between.pause();
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
