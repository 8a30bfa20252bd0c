package io.gridsync.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The hub's state database: SQLite (WAL, synchronous=FULL, one file in the data directory) by
 * default, PostgreSQL when {@code GRIDSYNC_DATABASE_URL} says so. Opening it runs the migrations.
 */
public final class Database implements AutoCloseable {

    private final Dialect dialect;
    private final HikariDataSource pool;

    private Database(Dialect dialect, HikariDataSource pool) {
        this.dialect = dialect;
        this.pool = pool;
    }

    /** SQLite in {@code dataDir/gridsync.db}. */
    public static Database sqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return open("jdbc:sqlite:" + dataDir.resolve("gridsync.db").toAbsolutePath(), null, null);
    }

    public static Database open(String jdbcUrl, String user, String password) {
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        if (user != null) {
            cfg.setUsername(user);
        }
        if (password != null) {
            cfg.setPassword(password);
        }
        cfg.setPoolName("gridsync-db");
        if (dialect == Dialect.SQLITE) {
            SqliteFiles.createWithIncrementalVacuum(jdbcUrl); // before the pool's first connection fixes the file's mode
            // WAL lets readers run beside the writer; FULL makes every commit durable (fsync).
            // sqlite-jdbc applies these pragmas to every connection it opens.
            cfg.addDataSourceProperty("journal_mode", "WAL");
            cfg.addDataSourceProperty("synchronous", "FULL");
            cfg.addDataSourceProperty("busy_timeout", "10000");
            cfg.setMaximumPoolSize(4);
        } else {
            cfg.setMaximumPoolSize(10);
        }
        HikariDataSource pool = new HikariDataSource(cfg);
        try {
            Flyway.configure().dataSource(pool).placeholders(dialect.placeholders).locations("classpath:db/migration")
                    .load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(dialect, pool);
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
        if (dialect == Dialect.SQLITE) {
            return inImmediateTransaction(work);
        }
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * SQLite: the transaction takes the write lock when it begins (BEGIN IMMEDIATE), waiting its turn
     * (busy_timeout). A deferred one that read and then wrote would fail at once (SQLITE_BUSY_SNAPSHOT)
     * when another connection wrote in between. Begun by hand, not by the driver's transaction mode,
     * because the driver re-begins after every commit and would hold the lock on idle connections.
     */
    private <T> T inImmediateTransaction(Work<T> work) {
        try (Connection c = connection(); java.sql.Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                T result = work.run(c);
                st.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                st.execute("ROLLBACK");
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
