package io.gridsync.server.journal;

import io.gridsync.server.testing.SqliteDatabases;
import io.gridsync.server.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class JournalSqliteTest extends JournalContract {

    @TempDir
    Path dir;

    @Override
    TestDatabases databases() {
        return new SqliteDatabases(dir);
    }
}
