package io.gridsync.server;

/** The end-to-end run on the default SQLite state database. */
class HubEndToEndSqliteTest extends HubEndToEndContract {
    @Override
    String databaseUrl() {
        return null;
    }
}
