package io.gridsync.server.journal;

import io.gridsync.server.testing.PostgresDatabases;
import io.gridsync.server.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class JournalPostgresTest extends JournalContract {

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
