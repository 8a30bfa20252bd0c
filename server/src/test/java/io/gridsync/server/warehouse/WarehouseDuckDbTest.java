package io.gridsync.server.warehouse;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The warehouse in a DuckDB file. */
class WarehouseDuckDbTest extends WarehouseContract {

    @TempDir
    Path dir;

    @Override
    Warehouse open() {
        return Warehouse.open("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"), null, null, dir);
    }
}
