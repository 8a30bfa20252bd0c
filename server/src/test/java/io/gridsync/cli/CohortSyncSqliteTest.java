package io.gridsync.cli;

import java.util.Map;

/** Cohort syncs with the membership in SQLite in the data directory (the default). */
class CohortSyncSqliteTest extends CohortSyncContract {

    @Override
    Map<String, String> stateEnv() {
        return Map.of();
    }
}
