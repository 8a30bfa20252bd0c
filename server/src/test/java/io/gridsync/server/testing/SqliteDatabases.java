package io.gridsync.server.testing;

import io.gridsync.server.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/** SQLite databases, one data directory each, under a temporary directory. */
public final class SqliteDatabases implements TestDatabases {

    private final Path root;
    private int next;

    public SqliteDatabases(Path root) {
        this.root = root;
    }

    @Override
    public String create() {
        try {
            return Files.createDirectories(root.resolve("db" + (++next))).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Database open(String name) {
        return Database.sqlite(Path.of(name));
    }

    /** BEGIN IMMEDIATE takes SQLite's one write lock: the journal's writer waits in its busy handler. */
    @Override
    public AutoCloseable lockJournal(Database db) throws Exception {
        Connection c = db.connection();
        Statement s = c.createStatement();
        s.execute("BEGIN IMMEDIATE");
        return () -> {
            s.execute("ROLLBACK");
            s.close();
            c.close();
        };
    }

    @Override
    public void close() {
        // the temporary directory is JUnit's to delete
    }
}
