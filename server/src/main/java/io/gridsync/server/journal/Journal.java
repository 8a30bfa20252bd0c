package io.gridsync.server.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.message.Message;
import io.gridsync.server.health.ComponentStatus;
import io.gridsync.server.health.Health;
import io.gridsync.server.health.Supervisor;
import io.gridsync.server.health.Worker;
import io.gridsync.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durable journal of accepted messages (table {@code messages}). Appends are group-committed
 * by the writer threads ({@link GroupCommitter}: one on SQLite, two taking turns on PostgreSQL); an append's future completes only after the commit that holds it, so
 * "accepted" means durable (futures complete on the journal's own acknowledgement thread: keep
 * what depends on them short). Messages whose messageId was seen within the de-duplication window are
 * acknowledged but not stored again. One Journal per database: its writers' one order is what makes
 * seqs appear in increasing order.
 */
public final class Journal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Messages waiting for a commit before appends are refused (back-pressure). */
    public static final int DEFAULT_MAX_PENDING_MESSAGES = 100_000;

    private final Database db;
    private final int maxPending;
    private final LinkedBlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong lastSeq = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Object enqueueLock = new Object();
    private final Supervisor supervisor;
    private final boolean ownSupervisor;
    /** The writers: each takes groups from the queue in turn ({@link GroupOrder}). */
    private final List<Worker> writers = new ArrayList<>();
    private final ExecutorService acks;
    private final long windowMillis;
    private final WriteStatus writeStatus = new WriteStatus();
    private boolean closed;

    public Journal(Database db, Duration dedupeWindow) {
        this(db, dedupeWindow, DEFAULT_MAX_PENDING_MESSAGES);
    }

    public Journal(Database db, Duration dedupeWindow, int maxPendingMessages) {
        this(db, dedupeWindow, maxPendingMessages, null);
    }

    /**
     * @param maxPendingMessages appends are refused while this many messages wait for a commit
     * @param supervisor         runs the writer (its health is the component "journal"); null: one of its own
     */
    public Journal(Database db, Duration dedupeWindow, int maxPendingMessages, Supervisor supervisor) {
        if (dedupeWindow.isNegative()) {
            throw new IllegalArgumentException("the de-duplication window must not be negative");
        }
        this.db = db;
        this.maxPending = maxPendingMessages;
        this.windowMillis = dedupeWindow.toMillis();
        lastSeq.set(queryLastSeq());
        acks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "journal-acks");
            t.setDaemon(true);
            return t;
        });
        this.ownSupervisor = supervisor == null;
        this.supervisor = supervisor == null ? new Supervisor(new Health()) : supervisor;
        // PostgreSQL: a second writer makes the next group's claims while one inserts and commits (the
        // server works on both at once); SQLite has one write lock, so a second would only wait for it
        int count = db.dialect() == io.gridsync.server.store.Dialect.POSTGRESQL ? 2 : 1;
        GroupOrder order = new GroupOrder();
        for (int i = 0; i < count; i++) {
            GroupCommitter committer = new GroupCommitter(db, windowMillis, queue, n -> pending.addAndGet(-n), this::committed, acks,
                    writeStatus, order, i == 0);
            writers.add(this.supervisor.start(i == 0 ? "journal-writer" : "journal-writer-" + (i + 1), null, committer::run));
        }
    }

    /**
     * Durably appends (group commit); the future completes after the commit holding them. Messages
     * whose messageId was seen within the window are acknowledged but not stored again.
     * Each message gets a {@code messageId} (a UUID) when it has none and {@code receivedAt} (now,
     * ISO-8601); the client's {@code timestamp} and {@code sentAt} are kept as sent. Each message
     * needs a {@code type}.
     *
     * @throws JournalFullException  when too many messages wait for a commit (answer 503, retry)
     * @throws IllegalStateException after {@link #close()}
     */
    public CompletableFuture<Appended> append(String writeKey, List<ObjectNode> messages) {
        long now = System.currentTimeMillis();
        String receivedAt = Instant.ofEpochMilli(now).toString();
        List<PendingMessage> prepared = new ArrayList<>(messages.size());
        for (ObjectNode body : messages) {
            prepared.add(prepare(body, now, receivedAt));
        }
        return enqueue(writeKey, prepared);
    }

    /**
     * {@link #append} for messages already checked and serialized by the caller (the tracking API's
     * fast path): each {@link RawMessage#json()} is stored as sent plus {@code receivedAt} and, when
     * it has none, a generated {@code messageId}.
     */
    public CompletableFuture<Appended> appendRaw(String writeKey, List<RawMessage> messages) {
        return appendRaw(writeKey, messages, System.currentTimeMillis());
    }

    /** {@link #appendRaw(String, List)} with the time the caller received them (its clock-skew correction used it). */
    public CompletableFuture<Appended> appendRaw(String writeKey, List<RawMessage> messages, long now) {
        String receivedAt = ",\"receivedAt\":\"" + Instant.ofEpochMilli(now) + "\"}";
        List<PendingMessage> prepared = new ArrayList<>(messages.size());
        for (RawMessage m : messages) {
            String json = m.json();
            int end = json.lastIndexOf('}');
            if (end < 0 || m.type() == null || m.type().isEmpty()) {
                throw new IllegalArgumentException("a raw message must be a JSON object with a type");
            }
            String messageId = m.messageId();
            StringBuilder body = new StringBuilder(json.length() + 100).append(json, 0, end);
            if (messageId == null) {
                messageId = UUID.randomUUID().toString();
                body.append(",\"messageId\":\"").append(messageId).append('"');
            }
            body.append(receivedAt);
            prepared.add(new PendingMessage(messageId, m.type(), m.personKey(), now, body.toString()));
        }
        return enqueue(writeKey, prepared);
    }

    private CompletableFuture<Appended> enqueue(String writeKey, List<PendingMessage> prepared) {
        CompletableFuture<Appended> done = new CompletableFuture<>();
        if (prepared.isEmpty()) {
            done.complete(new Appended(0, 0));
            return done;
        }
        int n = prepared.size();
        synchronized (enqueueLock) {
            if (closed) {
                throw new IllegalStateException("the journal is closed");
            }
            int waiting = pending.get();
            // an append larger than the limit still goes in when nothing else waits, or it never would
            if (waiting > 0 && waiting + n > maxPending) {
                throw new JournalFullException(waiting, maxPending);
            }
            pending.addAndGet(n);
            queue.add(new PendingAppend(writeKey, prepared, done));
        }
        return done;
    }

    private static PendingMessage prepare(ObjectNode body, long now, String receivedAt) {
        String type = body.path("type").asText("").toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            throw new IllegalArgumentException("a message needs a type");
        }
        JsonNode id = body.get("messageId");
        String messageId = id == null || id.isNull() || id.asText().isEmpty() ? null : id.asText();
        if (messageId == null) {
            messageId = UUID.randomUUID().toString();
            body.put("messageId", messageId);
        }
        body.put("receivedAt", receivedAt);
        try {
            return new PendingMessage(messageId, type, new Message(body).personKey(), now, MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Entries with seq > afterSeq, in seq order, at most limit. */
    public List<JournalEntry> readAfter(long afterSeq, int limit) {
        List<JournalEntry> out = new ArrayList<>(Math.min(Math.max(limit, 0), 10_000));
        if (limit <= 0) {
            return out;
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, message_id, write_key, type, person_key, received_at, body "
                     + "FROM messages WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the journal failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** The entry at {@code seq}; null when absent. */
    public JournalEntry bySeq(long seq) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, message_id, write_key, type, person_key, received_at, body "
                     + "FROM messages WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? entry(rs) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the journal failed: " + e.getMessage(), e);
        }
    }

    private static JournalEntry entry(ResultSet rs) throws SQLException {
        ObjectNode body;
        try {
            body = (ObjectNode) MAPPER.readTree(rs.getString(7));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("journal entry " + rs.getLong(1) + " holds a body that is not a JSON object", e);
        }
        return new JournalEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), body);
    }

    /** Called on the writer thread after each commit that stored new entries; must be cheap (e.g. wake a reader). */
    public void onAppend(Runnable listener) {
        listeners.add(listener);
    }

    /** The highest seq committed; 0 for an empty journal. */
    public long lastSeq() {
        return lastSeq.get();
    }

    /** Whether commits succeed; failing while the disk is full or the database is gone. */
    public WriteStatus writeStatus() {
        return writeStatus;
    }

    /**
     * The journal's health: the writer's (restarting after an unexpected exception), or failing while
     * its commits fail (disk full, database gone), or ok.
     */
    public ComponentStatus status() {
        for (Worker writer : writers) {
            ComponentStatus w = writer.status();
            if (!w.ok()) {
                return w;
            }
        }
        if (writeStatus.failing()) {
            return ComponentStatus.of("failing", writeStatus.diskFull()
                    ? "the disk is full: collection answers 503 until space is freed"
                    : "the state database cannot write: collection answers 503 (the hub's log has the details)",
                    writeStatus.failingSinceMillis());
        }
        return ComponentStatus.OK;
    }

    /** Messages appended and not yet committed. */
    public int pending() {
        return pending.get();
    }

    private void committed(long seq) {
        lastSeq.accumulateAndGet(seq, Math::max);
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                log.warn("a journal listener failed", e);
            }
        }
    }

    private long queryLastSeq() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM messages");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the journal failed: " + e.getMessage(), e);
        }
    }

    /** Deletes up to one chunk of expired messageIds now (the writer does this every minute); for tests and admin. */
    int purgeExpiredIds() {
        try (Connection c = db.connection()) {
            c.setAutoCommit(true);
            return GroupCommitter.purge(c, System.currentTimeMillis() - windowMillis);
        } catch (SQLException e) {
            throw new IllegalStateException("purging expired messageIds failed: " + e.getMessage(), e);
        }
    }

    /** Stops taking appends, writes everything already appended, and stops the writer. */
    @Override
    public void close() {
        synchronized (enqueueLock) {
            if (closed) {
                return;
            }
            closed = true;
            writers.forEach(Worker::stop); // a writer runs on until it takes STOP, having written what is before it
            queue.add(PendingAppend.STOP); // the writer that takes it puts it back for the next
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (Worker writer : writers) {
            if (!writer.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                log.warn("the journal writer did not finish within 60 s; {} messages not committed", pending.get());
                break;
            }
        }
        if (ownSupervisor) {
            supervisor.close();
        }
        acks.shutdown();
        try {
            acks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
