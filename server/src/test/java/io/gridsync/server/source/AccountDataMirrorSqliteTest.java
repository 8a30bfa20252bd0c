package io.gridsync.server.source;

import java.nio.file.Path;
import java.util.Map;

/** The account's data mirrored into the default warehouse, SQLite files (state in SQLite too). */
class AccountDataMirrorSqliteTest extends AccountDataMirrorContract {

    @Override
    Map<String, String> environment(Path dir) {
        return Map.of();
    }

    @Override
    String dayText(String column) {
        return column;
    }
}
