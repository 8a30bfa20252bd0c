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
 * A journal writer: takes every append waiting in the queue, writes them in one transaction
 * ({@link JournalStatements}: each database's fastest way), commits once (one fsync on SQLite with
 * synchronous=FULL), then completes their futures. SQLite has one writer; PostgreSQL two, kept in
 * step by {@link GroupOrder} so that one claims while the other inserts and commits. Groups insert
 * and commit one at a time in the order they were taken (across a cluster, the nodes' writers take
 * turns), so seqs commit in increasing order and a reader that saw seq N never later finds a new
 * entry below N.
 */
final class GroupCommitter {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /** Bounds one transaction, so a flood is committed in steps rather than one huge write. */
    static final int MAX_GROUP_MESSAGES = 20_000;
    static final int PURGE_CHUNK = 5_000;
    private static final long PURGE_INTERVAL_MS = 60_000;
    private static final long IDLE_POLL_MS = 1_000;

    static final String PURGE_IDS = "DELETE FROM message_ids WHERE message_id IN "
            + "(SELECT message_id FROM message_ids WHERE received_at < ? LIMIT " + PURGE_CHUNK + ")";

    private final Database db;
    private final long windowMillis;
    private final BlockingQueue<PendingAppend> queue;
    private final IntConsumer onDequeued;
    private final LongConsumer onCommitted;
    private final Executor acks;
    private final WriteStatus status;
    private final GroupOrder order;
    private final boolean purges;

    private Connection conn;
    /** Whether this writer holds the right to take the next group from the queue. */
    private boolean taking;
    private JournalStatements statements;
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
        this(db, windowMillis, queue, onDequeued, onCommitted, acks, status, new GroupOrder(), true);
    }

    /**
     * @param order  shared by the journal's writers: which takes the next group, and their order of inserts
     * @param purges whether this writer removes expired messageIds (one of them does)
     */
    GroupCommitter(Database db, long windowMillis, BlockingQueue<PendingAppend> queue, IntConsumer onDequeued,
                   LongConsumer onCommitted, Executor acks, WriteStatus status, GroupOrder order, boolean purges) {
        this.order = order;
        this.purges = purges;
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
        long ticket = 0;
        try {
            while (true) {
                self.beat();
                if (order.startTaking(IDLE_POLL_MS)) {
                    taking = true;
                    PendingAppend first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                    if (first == PendingAppend.STOP) {
                        letGo();
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
                        ticket = order.ticket();
                        List<PendingAppend> writing = List.copyOf(group);
                        group.clear(); // from here on write() answers for them
                        write(writing, ticket);
                        ticket = 0;
                        if (stop) {
                            stopped();
                            return;
                        }
                    } else {
                        letGo();
                    }
                }
                if (!self.running() && queue.isEmpty()) {
                    stopped(); // the hub gave up starting, or closes: nothing is waiting
                    return;
                }
                if (purges) {
                    maybePurge();
                }
            }
        } catch (RuntimeException e) {
            JournalWriteException failed = new JournalWriteException("could not store the messages: " + e.getMessage(), e);
            group.forEach(a -> fail(a, failed));
            letGo();
            if (ticket != 0) {
                finish(ticket); // the other writer's next group must not wait for this one forever
            }
            disconnect(e);
            throw e;
        }
    }

    /** Gives up the right to take groups, if this writer holds it. */
    private void letGo() {
        if (taking) {
            taking = false;
            order.stopTaking();
        }
    }

    /** Marks {@code ticket} finished, after the group before it (finishing follows the tickets' order). */
    private void finish(long ticket) {
        awaitPredecessor(ticket);
        order.finished(ticket);
    }

    /** Waits for the group before {@code ticket} to finish (without yielding: this writer holds no claims). */
    private void awaitPredecessor(long ticket) {
        try {
            order.awaitPredecessor(ticket, false);
        } catch (GroupOrder.Yield impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * After STOP: whatever is still queued can no longer be written (nothing should be); tell its
     * senders. STOP goes back in the queue for the other writer, if there is one.
     */
    private void stopped() {
        JournalWriteException stopped = new JournalWriteException("the journal is closed", null);
        PendingAppend a;
        while ((a = queue.poll()) != null) {
            fail(a, stopped);
        }
        queue.add(PendingAppend.STOP);
        disconnect(null);
    }

    /**
     * Writes a group in one transaction. If it fails for a reason of the data, writes each append
     * alone so one bad append fails alone; if the storage failed (disk full, I/O error, connection
     * lost) or the write waited too long for its turn (no pool connection, the database's lock
     * taken), every append of the group fails at once and its clients are answered 503 now: written
     * one by one, each would wait as long again, and the appends behind them with it.
     */
    private void write(List<PendingAppend> group, long ticket) {
        try {
            commit(group, ticket);
            status.succeeded();
        } catch (SQLException | RuntimeException e) {
            disconnect(e);
            letGo();
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
            awaitPredecessor(ticket); // the appends alone go in after the group before, and before the one after
            order.alone(ticket);
            for (PendingAppend a : group) {
                try {
                    commit(List.of(a), ticket);
                } catch (SQLException | RuntimeException single) {
                    disconnect(single);
                    fail(a, new JournalWriteException("could not store the messages: " + single.getMessage(), single));
                }
            }
        } finally {
            letGo();
            finish(ticket);
        }
    }

    /** Commits the group in its turn; if it had to let go of its claims for the group before it, claims again. */
    private void commit(List<PendingAppend> group, long ticket) throws SQLException {
        while (true) {
            try {
                commitOnce(group, ticket);
                return;
            } catch (GroupOrder.Yield y) {
                awaitPredecessor(ticket); // its claims are rolled back: claim again once the group before is in
            }
        }
    }

    private void commitOnce(List<PendingAppend> group, long ticket) throws SQLException, GroupOrder.Yield {
        connect();
        db.begin(conn);
        int[] stored = new int[group.size()];
        long last = -1;
        try {
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
            // claims come before the cluster's turn: they need no order (another node's claim of the same
            // id waits for this transaction's end, then finds it taken), so they overlap its insert
            Set<String> fresh = statements.claim(claims);
            // seqs follow the tickets: insert only after the group before has finished; meanwhile the
            // other writer (if any) may take the next group and make its claims
            order.awaitPredecessor(ticket, true);
            letGo();
            // the nodes sharing PostgreSQL insert one at a time and commit before the next one's turn,
            // so seqs commit in increasing order across the cluster
            io.gridsync.server.cluster.ClusterLocks.serialize(db, conn, "journal");
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
                statements.insert(rows, writeKeys);
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
        } catch (GroupOrder.Yield y) {
            db.rollbackQuietly(conn, y);
            throw y;
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
            statements = JournalStatements.on(db.dialect(), c, windowMillis);
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
        statements.close();
        MultiRowJournalStatements.closeQuietly(maxSeq);
        try {
            conn.close();
        } catch (SQLException e) {
            log.debug("closing the journal connection: {}", e.toString());
        }
        conn = null;
        statements = null;
        maxSeq = null;
    }
}
