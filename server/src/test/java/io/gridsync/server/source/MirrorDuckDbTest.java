package io.gridsync.server.source;

import java.nio.file.Path;
import java.util.Map;

/** The mirror into a DuckDB warehouse file (state in SQLite). */
class MirrorDuckDbTest extends MirrorContract {

    @Override
    Map<String, String> environment(Path dir) {
        return Map.of("GRIDSYNC_WAREHOUSE_URL", "jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
    }
}
