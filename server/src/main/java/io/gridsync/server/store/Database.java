package io.gridsync.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Files;
import io.gridsync.server.security.PrivateFiles;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The hub's state database: SQLite (WAL, synchronous=FULL, one file in the data directory) by
 * default, PostgreSQL when {@code GRIDSYNC_DATABASE_URL} says so. Opening it runs the migrations.
 */
public final class Database implements AutoCloseable {

    private final Dialect dialect;
    private final HikariDataSource pool;
    private final String jdbcUrl;
    private final String user;
    private final String password;

    private Database(Dialect dialect, HikariDataSource pool, String jdbcUrl, String user, String password) {
        this.dialect = dialect;
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** SQLite in {@code dataDir/gridsync.db}. */
    public static Database sqlite(Path dataDir) {
        return sqlite(dataDir, null);
    }

    /**
     * SQLite in {@code dataDir/gridsync.db}, each new connection handed to {@code onOpen} before its
     * first use (tests set a per-connection page limit with it, to fill the database on purpose).
     */
    public static Database sqlite(Path dataDir, ConnectionHook onOpen) {
        try {
            PrivateFiles.createDirectory(dataDir); // the database file itself is created private by SqliteFiles
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return open("jdbc:sqlite:" + dataDir.resolve("gridsync.db").toAbsolutePath(), null, null, onOpen);
    }

    /** Called with each connection the pool opens. */
    public interface ConnectionHook {
        void opened(Connection c) throws SQLException;
    }

    public static Database open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, null);
    }

    private static Database open(String jdbcUrl, String user, String password, ConnectionHook onOpen) {
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig cfg = new HikariConfig();
        java.util.Properties props = new java.util.Properties();
        if (dialect == Dialect.SQLITE) {
            SqliteFiles.createWithIncrementalVacuum(jdbcUrl); // before the pool's first connection fixes the file's mode
            // WAL lets readers run beside the writer; FULL makes every commit durable (fsync).
            // sqlite-jdbc applies these pragmas to every connection it opens.
            props.setProperty("journal_mode", "WAL");
            props.setProperty("synchronous", "FULL");
            props.setProperty("busy_timeout", "10000");
            // deleted rows are overwritten with zeros (an erasure must not leave the bytes in free pages)
            props.setProperty("secure_delete", "true");
            cfg.setMaximumPoolSize(4);
        } else {
            cfg.setMaximumPoolSize(10);
        }
        if (onOpen == null) {
            cfg.setJdbcUrl(jdbcUrl);
            props.forEach((k, v) -> cfg.addDataSourceProperty((String) k, v));
            if (user != null) {
                cfg.setUsername(user);
            }
            if (password != null) {
                cfg.setPassword(password);
            }
        } else {
            cfg.setDataSource(new HookedDataSource(jdbcUrl, user, password, props, onOpen));
        }
        cfg.setPoolName("gridsync-db");
        // a connection that saw the disk fill or an I/O error is closed, never handed out again
        cfg.setExceptionOverrideClassName(EvictOnStorageFault.class.getName());
        HikariDataSource pool = new HikariDataSource(cfg);
        try {
            Flyway.configure().dataSource(pool).placeholders(dialect.placeholders).locations(dialect.migrations)
                    .load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(dialect, pool, jdbcUrl, user, password);
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A connection of its own, outside the pool, for state that lives as long as the session does
     * (PostgreSQL advisory locks): the pool could close a pooled one behind its holder's back.
     */
    public Connection dedicatedConnection() throws SQLException {
        java.util.Properties props = new java.util.Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return java.sql.DriverManager.getConnection(jdbcUrl, props);
    }

    /** Work on a connection; the connection is the work's for its duration only. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on a connection in autocommit mode. */
    public <T> T query(Work<T> work) {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = connection()) {
            begin(c);
            T result;
            try {
                result = work.run(c);
                commit(c);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Begins a transaction on {@code c}, which must be in autocommit mode. SQLite: BEGIN IMMEDIATE,
     * which takes the write lock when it begins, waiting its turn (busy_timeout); a deferred one that
     * read and then wrote would fail at once (SQLITE_BUSY_SNAPSHOT) when another connection wrote in
     * between. Begun and ended by hand, not through the driver's autocommit flag: on SQLITE_FULL and
     * SQLITE_IOERR SQLite may roll the transaction back by itself, and a driver that still believes
     * it open would let the next statements commit one by one. PostgreSQL's driver tracks the
     * server's transaction state, so its own autocommit switch is used there.
     */
    public void begin(Connection c) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement st = c.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
            }
        } else {
            c.setAutoCommit(false);
        }
    }

    /** Commits the transaction {@link #begin} started; {@code c} is back in autocommit mode after. */
    public void commit(Connection c) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement st = c.createStatement()) {
                st.execute("COMMIT");
            }
        } else {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /**
     * Rolls back after {@code cause}; a failure to roll back (SQLite may have done it already, or the
     * connection is gone) is attached to the cause rather than replacing it. A connection that saw a
     * storage fault is evicted from the pool when it is closed.
     */
    public void rollbackQuietly(Connection c, Throwable cause) {
        try {
            if (dialect == Dialect.SQLITE) {
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK");
                } catch (SQLException e) {
                    if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                        throw e; // else SQLite rolled back by itself (disk full, I/O error): nothing is left to undo
                    }
                }
            } else {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
            discard(c);
        }
        if (StorageFault.is(cause)) {
            discard(c);
        }
    }

    /** Closes {@code c} for good instead of returning it to the pool (its state is not to be trusted). */
    public void discard(Connection c) {
        try {
            pool.evictConnection(c);
        } catch (RuntimeException e) {
            // already closed or not the pool's: nothing more to do
        }
    }

    /** Closes the idle connections and those in use as they come back; new ones are opened as needed. */
    public void discardConnections() {
        pool.getHikariPoolMXBean().softEvictConnections();
    }

    @Override
    public void close() {
        pool.close();
    }
}
