package io.gridsync.server.webhook;

import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/** Capture into PostgreSQL (embedded): state and warehouse in one fresh database per test. */
class CapturePostgresTest extends CaptureContract {

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
    Map<String, String> environment() {
        String url = pg.jdbcUrl(pg.create());
        return Map.of("GRIDSYNC_DATABASE_URL", url, "GRIDSYNC_DATABASE_USER", "postgres",
                "GRIDSYNC_WAREHOUSE_URL", url, "GRIDSYNC_WAREHOUSE_USER", "postgres");
    }
}
