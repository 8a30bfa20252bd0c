package io.gridsync.server;

import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end run on PostgreSQL (embedded), as with GRIDSYNC_DATABASE_URL. */
class HubEndToEndPostgresTest extends HubEndToEndContract {

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
