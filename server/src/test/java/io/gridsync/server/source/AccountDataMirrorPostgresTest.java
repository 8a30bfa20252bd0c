package io.gridsync.server.source;

import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.Map;

/** The account's data mirrored into a PostgreSQL warehouse, with the hub's state in PostgreSQL too (embedded). */
class AccountDataMirrorPostgresTest extends AccountDataMirrorContract {

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
    Map<String, String> environment(Path dir) {
        return Map.of("GRIDSYNC_DATABASE_URL", pg.jdbcUrl(pg.create()), "GRIDSYNC_DATABASE_USER", "postgres",
                "GRIDSYNC_WAREHOUSE_URL", pg.jdbcUrl(pg.create()), "GRIDSYNC_WAREHOUSE_USER", "postgres");
    }

    @Override
    String dayText(String column) {
        return "to_char(" + column + ", 'YYYY-MM-DD')";
    }
}
