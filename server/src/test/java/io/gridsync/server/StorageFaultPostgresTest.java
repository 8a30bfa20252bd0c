package io.gridsync.server;

import io.gridsync.server.store.Database;
import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * PostgreSQL out of space: the database raises disk_full (SQLSTATE 53100, what PostgreSQL says when
 * it cannot extend a file) for every new journal message and job, after the messageId claims of the
 * same transaction went in, and the hub's connections are cut once in the middle of it.
 */
class StorageFaultPostgresTest extends StorageFaultContract {

    private static PostgresDatabases pg;
    private String name;

    @BeforeAll
    static void startPostgres() {
        pg = new PostgresDatabases();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @Override
    Database openDatabase() throws Exception {
        name = pg.create();
        Database opened = pg.open(name);
        execute(opened, "CREATE TABLE test_disk (full_now BOOLEAN NOT NULL)");
        execute(opened, "INSERT INTO test_disk VALUES (FALSE)");
        execute(opened, """
                CREATE FUNCTION test_disk_full() RETURNS trigger AS $$
                BEGIN
                  IF (SELECT full_now FROM test_disk) THEN
                    RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql""");
        for (String table : new String[] {"messages", "jobs", "attempts"}) {
            execute(opened, "CREATE TRIGGER test_disk_full BEFORE INSERT OR UPDATE ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION test_disk_full()");
        }
        return opened;
    }

    @Override
    void fillUp() throws Exception {
        execute(db, "UPDATE test_disk SET full_now = TRUE");
        // and the connections drop, as when the server restarts to recover
        execute(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid()");
    }

    @Override
    void freeSpace() throws Exception {
        execute(db, "UPDATE test_disk SET full_now = FALSE");
    }
}
