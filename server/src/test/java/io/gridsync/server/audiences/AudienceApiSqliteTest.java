package io.gridsync.server.audiences;

/** The audience API with the hub's state in SQLite. */
class AudienceApiSqliteTest extends AudienceApiContract {

    @Override
    String databaseUrl() {
        return null;
    }
}
