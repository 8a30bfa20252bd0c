package io.gridsync.server.source;

import java.nio.file.Path;
import java.util.Map;

/** The account's data mirrored into a DuckDB warehouse file (state in SQLite). */
class AccountDataMirrorDuckDbTest extends AccountDataMirrorContract {

    @Override
    Map<String, String> environment(Path dir) {
        return Map.of("GRIDSYNC_WAREHOUSE_URL", "jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
    }

    @Override
    String dayText(String column) {
        return "strftime(" + column + ", '%Y-%m-%d')";
    }
}
