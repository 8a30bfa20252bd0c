package io.gridsync.server.admin;

import java.util.Map;

/** The console's admin routes on SQLite, the default state database. */
class ConsoleEndpointsSqliteTest extends ConsoleEndpointsContract {

    @Override
    Map<String, String> database() {
        return Map.of();
    }
}
