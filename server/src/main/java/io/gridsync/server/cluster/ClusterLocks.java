package io.gridsync.server.cluster;

import io.gridsync.server.store.Database;
import io.gridsync.server.store.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Work that runs once per cluster (routing the journal, the mirror schedule, scheduled cohort
 * syncs, retention, forwarding, erasures): a worker asks {@link #holds} before each turn and skips
 * the turn when another node holds its work. On PostgreSQL each work is a session-level advisory
 * lock on a connection of this node's own: when the node dies its session ends and the next node
 * to ask takes the work over. On SQLite the hub is alone ({@link DataDirectoryLock}), so it holds
 * everything.
 */
public final class ClusterLocks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterLocks.class);
    /** How often a held session is checked to be alive, at most. */
    private static final long CHECK_EVERY_MS = 1_000;

    private final Database db;
    private final Set<String> held = new HashSet<>();
    private final Set<String> asked = new HashSet<>();
    private Connection session;
    private long checkedAt;
    private boolean closed;

    public ClusterLocks(Database db) {
        this.db = db;
    }

    /**
     * Whether this node runs {@code work} now: true when it held it already (and its session is
     * alive) or took it now; false while another node holds it, or the database is away.
     */
    public synchronized boolean holds(String work) {
        if (db.dialect() == Dialect.SQLITE) {
            asked.add(work);
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            ensureSession();
            if (held.contains(work)) {
                return true;
            }
            try (PreparedStatement ps = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key(work));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        held.add(work);
                        log.info("this node runs the cluster's {} now", work);
                        return true;
                    }
                    return false;
                }
            }
        } catch (SQLException e) {
            dropSession("cluster locks: the database connection failed (" + e.getMessage() + "); this node runs no cluster work until it is back");
            return false;
        }
    }

    /** The work this node holds now (on SQLite: what it was asked about, all of which it holds). */
    public synchronized java.util.Set<String> held() {
        return java.util.Set.copyOf(db.dialect() == Dialect.SQLITE ? asked : held);
    }

    /** Lets go of {@code work} (another node takes it at its next turn). */
    public synchronized void release(String work) {
        if (session == null || !held.remove(work)) {
            return;
        }
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, key(work));
            ps.executeQuery().close();
        } catch (SQLException e) {
            dropSession("cluster locks: releasing " + work + " failed (" + e.getMessage() + ")");
        }
    }

    /** A session that stopped answering may have lost its locks: check it now and then, and start over when it is gone. */
    private void ensureSession() throws SQLException {
        long now = System.currentTimeMillis();
        if (session != null && now - checkedAt >= CHECK_EVERY_MS) {
            checkedAt = now;
            try (Statement st = session.createStatement()) {
                st.execute("SELECT 1");
            } catch (SQLException e) {
                dropSession("cluster locks: the session holding " + held + " was lost (" + e.getMessage() + "); asking again");
            }
        }
        if (session == null) {
            session = db.dedicatedConnection();
            checkedAt = now;
        }
    }

    private void dropSession(String why) {
        if (!held.isEmpty() && why != null) {
            log.warn(why);
        }
        held.clear();
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // gone already
            }
            session = null;
        }
    }

    /**
     * Makes the transaction on {@code c} wait for any other node's transaction that serialises on
     * {@code what}, and holds {@code what} until it ends (PostgreSQL; a no-op on SQLite, whose writes
     * are serial already). E.g. the journal's inserts, so seqs commit in the order they were taken.
     */
    public static void serialize(Database db, Connection c, String what) throws SQLException {
        if (db.dialect() != Dialect.POSTGRESQL) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, key(what));
            ps.executeQuery().close();
        }
    }

    /**
     * Runs {@code work} alone among the cluster's nodes (PostgreSQL: in a transaction holding
     * {@code what}'s advisory lock, which waits for the other nodes' turns); on SQLite just runs
     * it, since the hub is alone and a write transaction held across {@code work} would stall the
     * journal. E.g. creating a SendGrid list, which must not happen twice.
     */
    public static <T> T exclusively(Database db, String what, java.util.function.Supplier<T> work) {
        if (db.dialect() != Dialect.POSTGRESQL) {
            return work.get();
        }
        return db.inTransaction(c -> {
            serialize(db, c, what);
            return work.get();
        });
    }

    /** The advisory lock key of a work: 64 bits of its name's SHA-256, so every node computes the same one. */
    static long key(String work) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("gridsync:" + work).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (h[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the session: every work this node held goes to the next node that asks. */
    @Override
    public synchronized void close() {
        closed = true;
        held.clear(); // nothing to warn about: letting go is the point
        dropSession(null);
    }
}
