package io.gridsync.server.admin;

import io.gridsync.server.testing.PostgresDatabases;

import java.util.Map;

/** The console's admin routes on PostgreSQL (embedded): the same answers from its SQL. */
class ConsoleEndpointsPostgresTest extends ConsoleEndpointsContract {

    private PostgresDatabases pg;

    @Override
    Map<String, String> database() {
        pg = new PostgresDatabases();
        return Map.of("GRIDSYNC_DATABASE_URL", pg.jdbcUrl(pg.create()), "GRIDSYNC_DATABASE_USER", "postgres");
    }

    @Override
    void closeDatabase() {
        pg.close();
    }
}
