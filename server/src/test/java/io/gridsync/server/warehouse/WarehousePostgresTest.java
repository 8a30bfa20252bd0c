package io.gridsync.server.warehouse;

import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;

/** The warehouse in PostgreSQL (embedded), each test in a fresh database. */
class WarehousePostgresTest extends WarehouseContract {

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
    Warehouse open() {
        return Warehouse.open(pg.jdbcUrl(pg.create()), "postgres", null, Path.of("unused"));
    }
}
