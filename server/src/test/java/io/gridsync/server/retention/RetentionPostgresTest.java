package io.gridsync.server.retention;

import io.gridsync.server.testing.PostgresDatabases;
import io.gridsync.server.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

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
