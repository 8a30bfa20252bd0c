package io.gridsync.server.admin;

import io.gridsync.server.store.Database;

import java.nio.file.Path;

/** The admin API on the embedded default: SQLite in a temporary data directory. */
class AdminApiSqliteTest extends AdminApiContract {

    @Override
    Database newDatabase(Path dataDir) {
        return Database.sqlite(dataDir);
    }
}
