package io.gridsync.server.retention;

import io.gridsync.server.store.Database;
import io.gridsync.server.store.SqliteFreePages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Gives the pages retention freed in the SQLite state file back to the file system. Without this
 * SQLite reuses freed pages for new rows (so the file stops growing) but never shrinks the file.
 * New files are created with incremental auto-vacuum (store.SqliteFiles); a file from before that
 * is converted once at start when it is small enough to rewrite quickly, and otherwise keeps its
 * size and reuses its pages (the log says how to convert it by hand).
 */
final class SqliteSpace {

    private static final Logger log = LoggerFactory.getLogger(SqliteSpace.class);
    /** A VACUUM rewrites the whole file holding the write lock: only below this, at start, before requests. */
    static final long CONVERT_AT_START_MAX_BYTES = 64L << 20;

    private final Database db;
    private final boolean incremental;

    private SqliteSpace(Database db, boolean incremental) {
        this.db = db;
        this.incremental = incremental;
    }

    /** At start: the file's auto-vacuum mode, converting a small file to incremental. */
    static SqliteSpace open(Database db) {
        long mode = pragma(db, "auto_vacuum");
        if (mode == 2) {
            return new SqliteSpace(db, true);
        }
        Path file = file(db);
        long size = file == null ? Long.MAX_VALUE : sizeOf(file);
        if (size <= CONVERT_AT_START_MAX_BYTES) {
            db.query(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA auto_vacuum = INCREMENTAL");
                    st.execute("VACUUM"); // the mode takes effect only when the file is rewritten
                }
                return null;
            });
            log.info("state database {}: converted to incremental auto-vacuum ({} KiB), so space freed by retention "
                    + "goes back to the file system", file, size / 1024);
            return new SqliteSpace(db, pragma(db, "auto_vacuum") == 2);
        }
        log.info("state database {} ({} MiB) predates incremental auto-vacuum: space freed by retention is reused for new rows, "
                + "the file does not shrink; to shrink it, stop the hub and run: sqlite3 {} 'PRAGMA auto_vacuum=INCREMENTAL; VACUUM;'",
                file, size >> 20, file);
        return new SqliteSpace(db, false);
    }

    /** Gives free pages back, a chunk per transaction; returns how many. */
    long releaseFreePages(Pause pause) throws InterruptedException {
        if (!incremental) {
            return 0;
        }
        long released = SqliteFreePages.release(db, pause::afterChunk);
        if (released > 0) {
            checkpoint(); // in WAL mode the file is cut only when a checkpoint copies the vacuum in
        }
        return released;
    }

    /** PASSIVE: copies what it can without waiting for (or blocking) any writer or reader. */
    private void checkpoint() {
        db.query(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                return rs.next();
            }
        });
    }

    /** The main database file, from SQLite itself (null for an in-memory one). */
    static Path file(Database db) {
        return db.query(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA database_list")) {
                while (rs.next()) {
                    if ("main".equals(rs.getString(2))) {
                        String f = rs.getString(3);
                        return f == null || f.isEmpty() ? null : Path.of(f);
                    }
                }
                return null;
            }
        });
    }

    static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static long pragma(Database db, String name) {
        return db.query(c -> count(c, "PRAGMA " + name));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
