package io.gridsync.server;

import io.gridsync.server.store.Database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SQLite filled to its last page: {@code PRAGMA max_page_count} set on every connection of the
 * hub's pool to the file's current size, so the next page a write needs fails with SQLITE_FULL,
 * the error a full disk gives (and with SQLite's own rollback of the transaction behind the
 * driver's back). Space comes back by raising the limit again.
 */
class StorageFaultSqliteTest extends StorageFaultContract {

    private static final long UNLIMITED = 1_073_741_823L;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    /**
     * Held while a limit is set: a connection the pool opens while the test changes the limit would
     * otherwise be listed after the change went round and still get the old limit from its hook.
     */
    private final Object limits = new Object();
    private long limit = UNLIMITED;

    @Override
    Database openDatabase() {
        return Database.sqlite(dir.resolve("data"), c -> {
            synchronized (limits) {
                connections.add(c);
                setLimit(c, limit);
            }
        });
    }

    @Override
    void fillUp() throws Exception {
        long pages;
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA page_count")) {
            rs.next();
            pages = rs.getLong(1);
        }
        synchronized (limits) {
            limit = pages;
            connections.forEach(c -> setLimit(c, pages));
        }
    }

    @Override
    void freeSpace() {
        synchronized (limits) {
            limit = UNLIMITED;
            connections.forEach(c -> setLimit(c, UNLIMITED));
        }
    }

    /** The limit holds per connection; a closed one is skipped (the pool opened a new one with the current limit). */
    private static void setLimit(Connection c, long pages) {
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA max_page_count = " + pages);
        } catch (SQLException e) {
            // closed: discarded by the pool
        }
    }
}
