package io.gridsync.server.collect;

import io.gridsync.server.testing.SqliteDatabases;
import io.gridsync.server.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class TrackingApiSqliteTest extends TrackingApiContract {

    @TempDir
    Path dir;

    @Override
    TestDatabases databases() {
        return new SqliteDatabases(dir);
    }
}
