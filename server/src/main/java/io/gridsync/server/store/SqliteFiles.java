package io.gridsync.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates a new SQLite state file with incremental auto-vacuum, so pages freed by retention can be
 * given back to the file system ({@code PRAGMA incremental_vacuum}). SQLite fixes this mode when the
 * file is first written, which the pool's WAL pragma already does: hence a first connection of our
 * own, before the pool's.
 */
final class SqliteFiles {

    private SqliteFiles() {}

    /** For {@code jdbc:sqlite:FILE[?...]} naming a file that does not exist yet (or is empty): creates it, private. */
    static void createWithIncrementalVacuum(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:") || hasContent(Path.of(file))) {
            return;
        }
        // 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode
        io.gridsync.server.security.PrivateFiles.createFile(Path.of(file));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("PRAGMA auto_vacuum = INCREMENTAL");
            st.execute("PRAGMA journal_mode = WAL"); // writes the header: the mode is now the file's
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static boolean hasContent(Path file) {
        try {
            return Files.exists(file) && Files.size(file) > 0;
        } catch (java.io.IOException e) {
            return true; // unreadable: SQLite will say why
        }
    }
}
