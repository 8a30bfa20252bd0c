package io.gridsync.server.testing;

import io.gridsync.server.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** One embedded PostgreSQL (share it per test class) with a fresh database per {@link #create()}. */
public final class PostgresDatabases implements TestDatabases {

    private final EmbeddedPostgres pg;
    private int next;

    public PostgresDatabases() {
        try {
            pg = EmbeddedPostgres.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String create() {
        String name = "test_" + (++next);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    /** The JDBC URL of database {@code name} (user postgres, no password), e.g. for GRIDSYNC_DATABASE_URL. */
    public String jdbcUrl(String name) {
        return pg.getJdbcUrl("postgres", name);
    }

    @Override
    public Database open(String name) {
        return Database.open(pg.getJdbcUrl("postgres", name), "postgres", null);
    }

    /** An exclusive table lock in an open transaction: the journal's inserts wait for it. */
    @Override
    public AutoCloseable lockJournal(Database db) throws Exception {
        Connection c = db.connection();
        c.setAutoCommit(false);
        Statement s = c.createStatement();
        s.execute("LOCK TABLE message_ids IN EXCLUSIVE MODE");
        return () -> {
            c.rollback();
            s.close();
            c.setAutoCommit(true);
            c.close();
        };
    }

    @Override
    public void close() {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
