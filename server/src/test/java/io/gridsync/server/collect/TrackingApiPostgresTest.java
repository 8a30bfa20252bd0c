package io.gridsync.server.collect;

import io.gridsync.server.testing.PostgresDatabases;
import io.gridsync.server.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class TrackingApiPostgresTest extends TrackingApiContract {

    static PostgresDatabases pg;

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
        return pg;
    }
}
