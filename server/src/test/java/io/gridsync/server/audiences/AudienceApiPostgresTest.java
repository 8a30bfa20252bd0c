package io.gridsync.server.audiences;

import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The audience API with the hub's state in PostgreSQL (embedded). */
class AudienceApiPostgresTest extends AudienceApiContract {

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
    String databaseUrl() {
        return pg.jdbcUrl(pg.create());
    }
}
