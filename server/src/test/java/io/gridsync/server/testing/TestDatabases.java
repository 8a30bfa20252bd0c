package io.gridsync.server.testing;

import io.gridsync.server.store.Database;

/** Where a test's state databases come from: each {@link #create()} is a new, empty database. */
public interface TestDatabases extends AutoCloseable {

    /** Creates an empty database and returns its name, for {@link #open(String)}. */
    String create();

    /** Opens (and migrates) the database {@code name}; open it again to see what a restart sees. */
    Database open(String name);

    /** Runs SQL that holds the journal's write lock until the returned handle is closed. */
    AutoCloseable lockJournal(Database db) throws Exception;

    @Override
    void close();
}
