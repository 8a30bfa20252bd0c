package io.gridsync.server.retention;

import io.gridsync.server.testing.PostgresDatabases;
import io.gridsync.server.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention on PostgreSQL (embedded), as with GRIDSYNC_DATABASE_URL. */
class RetentionPostgresTest extends RetentionContract {

    private static PostgresDatabases pg;

    @BeforeAll
    static void startPostgres() {
        pg = new PostgresDatabases();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    /** With several hubs on one database one runs each pass: a pass that finds the lock taken removes nothing. */
    @org.junit.jupiter.api.Test
    void anotherNodesPassIsNotRunTwice() throws Exception {
        try (io.gridsync.server.store.Database db = pg.open(pg.create())) {
            exec(db, "INSERT INTO messages (message_id, write_key, type, person_key, received_at, body) VALUES ('m', 'k', 'track', 'p', 0, '{}')");
            exec(db, "INSERT INTO cursors (name, seq) VALUES ('router', 1)");
            Retention retention = new Retention(db, RetentionSettings.defaults(), null, java.util.List::of, java.time.Clock.systemUTC(),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            try (java.sql.Connection other = db.connection(); java.sql.Statement st = other.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + 0x67726964_72657401L + ")");
                assertThat(retention.runOnce()).isEmpty();
                assertThat(count(db, "SELECT COUNT(*) FROM messages")).isEqualTo(1);
                st.execute("SELECT pg_advisory_unlock(" + 0x67726964_72657401L + ")");
            }
            assertThat(retention.runOnce()).containsEntry("messages", 1L);
        }
    }

    @Override
    TestDatabases databases() {
        return new TestDatabases() { // the shared server; closing this one leaves it running
            @Override
            public String create() {
                return pg.create();
            }

            @Override
            public io.gridsync.server.store.Database open(String name) {
                return pg.open(name);
            }

            @Override
            public AutoCloseable lockJournal(io.gridsync.server.store.Database db) throws Exception {
                return pg.lockJournal(db);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    Map<String, String> databaseEnvironment() {
        return Map.of("GRIDSYNC_DATABASE_URL", pg.jdbcUrl(pg.create()), "GRIDSYNC_DATABASE_USER", "postgres");
    }
}
