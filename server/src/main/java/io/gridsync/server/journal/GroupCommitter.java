package io.gridsync.server.journal;

import io.gridsync.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * The journal's single writer: takes every append waiting in the queue, writes them in one
 * transaction (batched inserts), commits once (one fsync on SQLite with synchronous=FULL), then
 * completes their futures. One writer also makes seqs commit in increasing order, so a reader
 * that saw seq N never later finds a new entry below N.
 */
final class GroupCommitter implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /** Bounds one transaction, so a flood is committed in steps rather than one huge write. */
    static final int MAX_GROUP_MESSAGES = 20_000;
    static final int PURGE_CHUNK = 5_000;
    private static final long PURGE_INTERVAL_MS = 60_000;
    private static final long IDLE_POLL_MS = 1_000;

    /**
     * Claims a messageId: inserts it, or takes over a row older than the window that the purge has
     * not removed yet. The update count says whether the message is new (1) or a duplicate (0).
     */
    static final String CLAIM_ID = "INSERT INTO message_ids (message_id, received_at) VALUES (?, ?) "
            + "ON CONFLICT (message_id) DO UPDATE SET received_at = excluded.received_at WHERE message_ids.received_at < ?";
    private static final String INSERT_MESSAGE = "INSERT INTO messages (message_id, write_key, type, person_key, received_at, body) "
            + "VALUES (?, ?, ?, ?, ?, ?)";
    static final String PURGE_IDS = "DELETE FROM message_ids WHERE message_id IN "
            + "(SELECT message_id FROM message_ids WHERE received_at < ? LIMIT " + PURGE_CHUNK + ")";

    private final Database db;
    private final long windowMillis;
    private final BlockingQueue<PendingAppend> queue;
    private final IntConsumer onDequeued;
    private final LongConsumer onCommitted;

    private Connection conn;
    private PreparedStatement claim;
    private PreparedStatement insert;
    private PreparedStatement maxSeq;
    private long nextPurgeAt;

    /**
     * @param onDequeued  told how many messages left the pending count (committed or failed)
     * @param onCommitted told the last seq after a commit that stored new entries
     */
    GroupCommitter(Database db, long windowMillis, BlockingQueue<PendingAppend> queue, IntConsumer onDequeued,
                   LongConsumer onCommitted) {
        this.db = db;
        this.windowMillis = windowMillis;
        this.queue = queue;
        this.onDequeued = onDequeued;
        this.onCommitted = onCommitted;
        this.nextPurgeAt = System.currentTimeMillis() + PURGE_INTERVAL_MS;
    }

    @Override
    public void run() {
        List<PendingAppend> group = new ArrayList<>();
        try {
            while (true) {
                PendingAppend first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == PendingAppend.STOP) {
                    return; // close() queues STOP after the last append, so nothing is left behind it
                }
                if (first != null) {
                    group.add(first);
                    int messages = first.messages().size();
                    PendingAppend next;
                    boolean stop = false;
                    while (messages < MAX_GROUP_MESSAGES && (next = queue.poll()) != null) {
                        if (next == PendingAppend.STOP) {
                            stop = true;
                            break;
                        }
                        group.add(next);
                        messages += next.messages().size();
                    }
                    write(group);
                    group.clear();
                    if (stop) {
                        return;
                    }
                }
                maybePurge();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("journal writer stopped", e);
            throw e;
        } finally {
            // whatever is still queued can no longer be written: tell its senders so they retry
            JournalWriteException stopped = new JournalWriteException("the journal is closed", null);
            group.forEach(a -> fail(a, stopped));
            PendingAppend a;
            while ((a = queue.poll()) != null) {
                fail(a, stopped);
            }
            disconnect();
        }
    }

    /** Writes a group in one transaction; if it fails, writes each append alone so one bad append fails alone. */
    private void write(List<PendingAppend> group) {
        try {
            commit(group);
        } catch (SQLException | RuntimeException e) {
            disconnect();
            if (group.size() == 1) {
                log.warn("journal commit failed: {}", e.toString());
                fail(group.get(0), new JournalWriteException("could not store the messages: " + e.getMessage(), e));
                return;
            }
            log.warn("journal group commit of {} appends failed ({}); writing them one by one", group.size(), e.toString());
            for (PendingAppend a : group) {
                try {
                    commit(List.of(a));
                } catch (SQLException | RuntimeException single) {
                    disconnect();
                    fail(a, new JournalWriteException("could not store the messages: " + single.getMessage(), single));
                }
            }
        }
    }

    private void commit(List<PendingAppend> group) throws SQLException {
        connect();
        int[] claimed;
        int[] stored = new int[group.size()];
        int storedTotal = 0;
        long last = -1;
        try {
            for (PendingAppend a : group) {
                for (PendingMessage m : a.messages()) {
                    claim.setString(1, m.messageId());
                    claim.setLong(2, m.receivedAt());
                    claim.setLong(3, m.receivedAt() - windowMillis);
                    claim.addBatch();
                }
            }
            claimed = claim.executeBatch();
            int i = 0;
            for (int g = 0; g < group.size(); g++) {
                PendingAppend a = group.get(g);
                for (PendingMessage m : a.messages()) {
                    int count = claimed[i++];
                    if (count == Statement.SUCCESS_NO_INFO) {
                        throw new SQLException("the database driver did not report whether messageId " + m.messageId() + " was new");
                    }
                    if (count > 0) {
                        insert.setString(1, m.messageId());
                        insert.setString(2, a.writeKey());
                        insert.setString(3, m.type());
                        insert.setString(4, m.personKey());
                        insert.setLong(5, m.receivedAt());
                        insert.setString(6, m.body());
                        insert.addBatch();
                        stored[g]++;
                        storedTotal++;
                    }
                }
            }
            if (storedTotal > 0) {
                insert.executeBatch();
                try (ResultSet rs = maxSeq.executeQuery()) {
                    rs.next();
                    last = rs.getLong(1);
                }
            }
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                conn.rollback();
            } catch (SQLException ignored) {
                // the connection is dropped by the caller anyway
            }
            throw e;
        }
        // committed: from here on nothing may throw back into write(), which would write the group again.
        // lastSeq moves first, so whoever sees its future complete also sees its entries counted.
        if (last >= 0) {
            onCommitted.accept(last);
        }
        int messages = 0;
        for (PendingAppend a : group) {
            messages += a.messages().size();
        }
        onDequeued.accept(messages);
        for (int g = 0; g < group.size(); g++) {
            PendingAppend a = group.get(g);
            a.done().complete(new Appended(stored[g], a.messages().size() - stored[g]));
        }
    }

    private void fail(PendingAppend a, JournalWriteException e) {
        if (a == PendingAppend.STOP) {
            return;
        }
        if (!a.done().isDone()) {
            onDequeued.accept(a.messages().size());
            a.done().completeExceptionally(e);
        }
    }

    private void maybePurge() {
        long now = System.currentTimeMillis();
        if (now < nextPurgeAt) {
            return;
        }
        try {
            connect();
            int deleted = purge(conn, now - windowMillis);
            conn.commit();
            // a full chunk means more rows are due: take the next chunk after the next group
            nextPurgeAt = deleted >= PURGE_CHUNK ? now : now + PURGE_INTERVAL_MS;
        } catch (SQLException e) {
            log.warn("purging expired messageIds failed (retrying later): {}", e.toString());
            disconnect();
            nextPurgeAt = now + PURGE_INTERVAL_MS;
        }
    }

    /** Deletes up to {@link #PURGE_CHUNK} messageIds received before {@code cutoff}; returns how many. */
    static int purge(Connection c, long cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PURGE_IDS)) {
            ps.setLong(1, cutoff);
            return ps.executeUpdate();
        }
    }

    private void connect() throws SQLException {
        if (conn != null) {
            return;
        }
        Connection c = db.connection();
        try {
            c.setAutoCommit(false);
            claim = c.prepareStatement(CLAIM_ID);
            insert = c.prepareStatement(INSERT_MESSAGE);
            maxSeq = c.prepareStatement("SELECT MAX(seq) FROM messages");
            conn = c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** Drops the connection (after an error, or at the end): the next group takes a fresh one from the pool. */
    private void disconnect() {
        if (conn == null) {
            return;
        }
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // closing below is what matters
        }
        try {
            conn.close();
        } catch (SQLException e) {
            log.debug("closing the journal connection: {}", e.toString());
        }
        conn = null;
        claim = null;
        insert = null;
        maxSeq = null;
    }
}
