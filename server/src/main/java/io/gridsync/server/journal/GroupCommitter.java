package io.gridsync.server.journal;

import io.gridsync.server.health.Worker;
import io.gridsync.server.store.Database;
import io.gridsync.server.store.StorageFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * The journal's single writer: takes every append waiting in the queue, writes them in one
 * transaction (batched inserts), commits once (one fsync on SQLite with synchronous=FULL), then
 * completes their futures. One writer (per cluster: the nodes' writers take turns) also makes seqs
 * commit in increasing order, so a reader that saw seq N never later finds a new entry below N.
 */
final class GroupCommitter {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /** Bounds one transaction, so a flood is committed in steps rather than one huge write. */
    static final int MAX_GROUP_MESSAGES = 20_000;
    static final int PURGE_CHUNK = 5_000;
    private static final long PURGE_INTERVAL_MS = 60_000;
    private static final long IDLE_POLL_MS = 1_000;

    /**
     * Rows per multi-row statement, largest first; a group is written as a few of these (837 rows:
     * 1 x 500, 3 x 100, 3 x 10, 7 x 1). One statement per chunk rather than one per row roughly
     * halves the writer's time per message on SQLite, where each statement execution crosses JNI.
     */
    private static final int[] CHUNKS = {500, 100, 10, 1};

    /**
     * Claims messageIds: inserts each, or takes over a row older than the window that the purge
     * has not removed yet; RETURNING names the messages that are new (the others are duplicates).
     */
    static String claimSql(int rows) {
        return "INSERT INTO message_ids (message_id, received_at) VALUES " + values(rows, 2)
                + " ON CONFLICT (message_id) DO UPDATE SET received_at = excluded.received_at"
                + " WHERE message_ids.received_at < excluded.received_at - ? RETURNING message_id";
    }

    static String insertSql(int rows) {
        return "INSERT INTO messages (message_id, write_key, type, person_key, received_at, body) VALUES " + values(rows, 6);
    }

    private static String values(int rows, int columns) {
        String row = "(" + "?, ".repeat(columns - 1) + "?)";
        StringBuilder b = new StringBuilder(rows * (row.length() + 2));
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "" : ", ").append(row);
        }
        return b.toString();
    }

    static final String PURGE_IDS = "DELETE FROM message_ids WHERE message_id IN "
            + "(SELECT message_id FROM message_ids WHERE received_at < ? LIMIT " + PURGE_CHUNK + ")";

    private final Database db;
    private final long windowMillis;
    private final BlockingQueue<PendingAppend> queue;
    private final IntConsumer onDequeued;
    private final LongConsumer onCommitted;
    private final Executor acks;
    private final WriteStatus status;

    private Connection conn;
    private PreparedStatement[] claim;
    private PreparedStatement[] insert;
    private PreparedStatement maxSeq;
    private long nextPurgeAt;

    /**
     * @param onDequeued  told how many messages left the pending count (committed or failed)
     * @param onCommitted told the last seq after a commit that stored new entries
     * @param acks        completes the appends' futures, so that what their callers do next
     *                    (answering HTTP requests) runs beside the writer, not on it
     */
    GroupCommitter(Database db, long windowMillis, BlockingQueue<PendingAppend> queue, IntConsumer onDequeued,
                   LongConsumer onCommitted, Executor acks, WriteStatus status) {
        this.db = db;
        this.windowMillis = windowMillis;
        this.queue = queue;
        this.onDequeued = onDequeued;
        this.onCommitted = onCommitted;
        this.acks = acks;
        this.status = status;
        this.nextPurgeAt = System.currentTimeMillis() + PURGE_INTERVAL_MS;
    }

    /**
     * The writer's loop, run by a supervisor: it returns after {@link PendingAppend#STOP}, having
     * written everything queued before it. If something unexpected escapes, the appends in hand are
     * answered as failed (their clients send them again) and the exception goes to the supervisor,
     * which starts the loop again on the same queue: nothing queued behind them is lost.
     */
    void run(Worker self) throws InterruptedException {
        List<PendingAppend> group = new ArrayList<>();
        try {
            while (true) {
                self.beat();
                PendingAppend first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == PendingAppend.STOP) {
                    stopped();
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
                    List<PendingAppend> writing = List.copyOf(group);
                    group.clear(); // from here on write() answers for them
                    write(writing);
                    if (stop) {
                        stopped();
                        return;
                    }
                }
                if (!self.running() && queue.isEmpty()) {
                    stopped(); // the hub gave up starting, or closes: nothing is waiting
                    return;
                }
                maybePurge();
            }
        } catch (RuntimeException e) {
            JournalWriteException failed = new JournalWriteException("could not store the messages: " + e.getMessage(), e);
            group.forEach(a -> fail(a, failed));
            disconnect(e);
            throw e;
        }
    }

    /** After STOP: whatever is still queued can no longer be written (nothing should be); tell its senders. */
    private void stopped() {
        JournalWriteException stopped = new JournalWriteException("the journal is closed", null);
        PendingAppend a;
        while ((a = queue.poll()) != null) {
            fail(a, stopped);
        }
        disconnect(null);
    }

    /**
     * Writes a group in one transaction. If it fails for a reason of the data, writes each append
     * alone so one bad append fails alone; if the storage failed (disk full, I/O error, connection
     * lost) or the write waited too long for its turn (no pool connection, the database's lock
     * taken), every append of the group fails at once and its clients are answered 503 now: written
     * one by one, each would wait as long again, and the appends behind them with it.
     */
    private void write(List<PendingAppend> group) {
        try {
            commit(group);
            status.succeeded();
        } catch (SQLException | RuntimeException e) {
            disconnect(e);
            boolean storage = StorageFault.is(e);
            if (storage) {
                if (!status.failing()) {
                    log.error("the journal cannot write ({}); collection answers 503 until it can: {}",
                            StorageFault.isDiskFull(e) ? "disk full" : "storage error", e.getMessage());
                }
                status.failed(e);
            }
            boolean waited = !storage && StorageFault.isContention(e);
            if (group.size() == 1 || storage || waited) {
                if (!storage) {
                    log.warn("journal commit failed: {}", e.toString());
                }
                JournalWriteException failed = new JournalWriteException("could not store the messages: " + e.getMessage(), e);
                group.forEach(a -> fail(a, failed));
                return;
            }
            log.warn("journal group commit of {} appends failed ({}); writing them one by one", group.size(), e.toString());
            for (PendingAppend a : group) {
                try {
                    commit(List.of(a));
                } catch (SQLException | RuntimeException single) {
                    disconnect(single);
                    fail(a, new JournalWriteException("could not store the messages: " + single.getMessage(), single));
                }
            }
        }
    }

    private void commit(List<PendingAppend> group) throws SQLException {
        connect();
        db.begin(conn);
        int[] stored = new int[group.size()];
        long last = -1;
        try {
            // hubs sharing PostgreSQL write one at a time, so seqs commit in the order they are taken, across nodes too
            io.gridsync.server.cluster.ClusterLocks.serialize(db, conn, "journal");
            // a messageId repeated within the group is claimed once, by its first occurrence
            List<PendingMessage> claims = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (PendingAppend a : group) {
                for (PendingMessage m : a.messages()) {
                    if (seen.add(m.messageId())) {
                        claims.add(m);
                    }
                }
            }
            Set<String> fresh = claim(claims);
            List<PendingMessage> rows = new ArrayList<>(fresh.size());
            List<String> writeKeys = new ArrayList<>(fresh.size());
            for (int g = 0; g < group.size(); g++) {
                PendingAppend a = group.get(g);
                for (PendingMessage m : a.messages()) {
                    if (fresh.remove(m.messageId())) {
                        rows.add(m);
                        writeKeys.add(a.writeKey());
                        stored[g]++;
                    }
                }
            }
            if (!rows.isEmpty()) {
                insert(rows, writeKeys);
                try (ResultSet rs = maxSeq.executeQuery()) {
                    rs.next();
                    last = rs.getLong(1);
                }
            }
            db.commit(conn);
        } catch (SQLException | RuntimeException e) {
            // claims and messages go together or not at all: nothing of the group is left behind
            db.rollbackQuietly(conn, e);
            throw e;
        }
        if (status.failing()) {
            log.info("the journal writes again after {} s of failures", (System.currentTimeMillis() - status.failingSinceMillis()) / 1000);
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
        List<PendingAppend> done = group;
        acks.execute(() -> {
            for (int g = 0; g < done.size(); g++) {
                PendingAppend a = done.get(g);
                a.done().complete(new Appended(stored[g], a.messages().size() - stored[g]));
            }
        });
    }

    /** Claims the messageIds of {@code messages} (unique within the list); returns those that are new. */
    private Set<String> claim(List<PendingMessage> messages) throws SQLException {
        Set<String> fresh = new HashSet<>(messages.size() * 2);
        int at = 0;
        for (int c = 0; c < CHUNKS.length; c++) {
            PreparedStatement ps = claim[c];
            while (messages.size() - at >= CHUNKS[c]) {
                int k = 1;
                for (int i = 0; i < CHUNKS[c]; i++) {
                    PendingMessage m = messages.get(at++);
                    ps.setString(k++, m.messageId());
                    ps.setLong(k++, m.receivedAt());
                }
                ps.setLong(k, windowMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        fresh.add(rs.getString(1));
                    }
                }
            }
        }
        return fresh;
    }

    private void insert(List<PendingMessage> rows, List<String> writeKeys) throws SQLException {
        int at = 0;
        for (int c = 0; c < CHUNKS.length; c++) {
            PreparedStatement ps = insert[c];
            while (rows.size() - at >= CHUNKS[c]) {
                int k = 1;
                for (int i = 0; i < CHUNKS[c]; i++, at++) {
                    PendingMessage m = rows.get(at);
                    ps.setString(k++, m.messageId());
                    ps.setString(k++, writeKeys.get(at));
                    ps.setString(k++, m.type());
                    ps.setString(k++, m.personKey());
                    ps.setLong(k++, m.receivedAt());
                    ps.setString(k++, m.body());
                }
                ps.executeUpdate();
            }
        }
    }

    private void fail(PendingAppend a, JournalWriteException e) {
        if (a == PendingAppend.STOP) {
            return;
        }
        onDequeued.accept(a.messages().size());
        acks.execute(() -> a.done().completeExceptionally(e));
    }

    private void maybePurge() {
        long now = System.currentTimeMillis();
        if (now < nextPurgeAt) {
            return;
        }
        try {
            connect();
            int deleted = purge(conn, now - windowMillis); // one statement: autocommit
            // a full chunk means more rows are due: take the next chunk after the next group
            nextPurgeAt = deleted >= PURGE_CHUNK ? now : now + PURGE_INTERVAL_MS;
        } catch (SQLException | RuntimeException e) {
            log.warn("purging expired messageIds failed (retrying later): {}", e.toString());
            disconnect(e);
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
            claim = new PreparedStatement[CHUNKS.length];
            insert = new PreparedStatement[CHUNKS.length];
            for (int i = 0; i < CHUNKS.length; i++) {
                claim[i] = c.prepareStatement(claimSql(CHUNKS[i]));
                insert[i] = c.prepareStatement(insertSql(CHUNKS[i]));
            }
            maxSeq = c.prepareStatement("SELECT MAX(seq) FROM messages");
            conn = c;
        } catch (SQLException e) {
            db.discard(c);
            c.close();
            throw e;
        }
    }

    /**
     * Drops the connection (after an error, or at the end): the next group takes a fresh one. After
     * an error it is discarded, not returned to the pool: its transaction state is not to be trusted.
     */
    private void disconnect(Throwable error) {
        if (conn == null) {
            return;
        }
        if (error != null) {
            db.discard(conn);
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
