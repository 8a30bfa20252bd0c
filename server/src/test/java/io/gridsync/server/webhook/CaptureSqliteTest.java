package io.gridsync.server.webhook;

import java.util.Map;

/** Capture into the default warehouse: SQLite files under the data directory. */
class CaptureSqliteTest extends CaptureContract {
    @Override
    Map<String, String> environment() {
        return Map.of();
    }
}
