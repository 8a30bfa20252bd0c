package io.gridsync.server.webhook;

import java.util.Map;

/** Capture into a DuckDB warehouse (state in SQLite). */
class CaptureDuckDbTest extends CaptureContract {
    @Override
    Map<String, String> environment() {
        return Map.of("GRIDSYNC_WAREHOUSE_URL", "jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
    }
}
