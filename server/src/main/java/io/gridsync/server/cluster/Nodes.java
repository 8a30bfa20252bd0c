package io.gridsync.server.cluster;

import io.gridsync.server.health.Supervisor;
import io.gridsync.server.health.Worker;
import io.gridsync.server.store.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hubs sharing the state database. This node registers itself at start, writes a heartbeat
 * every {@link #HEARTBEAT} and marks itself stopped when it closes; a node not seen for three
 * heartbeats is dead. One SQLite hub is a cluster of one.
 */
public final class Nodes implements AutoCloseable {

    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** Missed heartbeats after which a node counts as dead. */
    static final int MISSED = 3;
    /** A node not seen for this long is dropped from the list at the next start of any node. */
    static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final Database db;
    private final Clock clock;
    private final Node self;
    private Worker worker;
    private java.util.function.Supplier<java.util.Collection<String>> runs = List::of;

    public Nodes(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        long now = clock.millis();
        String host = host();
        long pid = ProcessHandle.current().pid();
        // unique across restarts: a restarted process must not inherit its predecessor's leases
        String id = host + "-" + pid + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        this.self = new Node(id, host, pid, version(), now, now, null, List.of());
    }

    /** This node's id: the owner of its job leases, the node of its delivery attempts. */
    public String selfId() {
        return self.id();
    }

    /** Registers this node, then beats on a worker of {@code supervisor}'s (component "node-heartbeat"). */
    public void start(Supervisor supervisor, MeterRegistry metrics, java.util.function.Supplier<java.util.Collection<String>> runs) {
        this.runs = runs;
        db.inTransaction(c -> {
            // every start adds a row: those of nodes gone for a day are history no one needs
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE last_seen < ?")) {
                ps.setLong(1, self.startedAt() - FORGET_AFTER.toMillis());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO nodes (id, host, pid, version, started_at, last_seen) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, self.id());
                ps.setString(2, self.host());
                ps.setLong(3, self.pid());
                ps.setString(4, self.version());
                ps.setLong(5, self.startedAt());
                ps.setLong(6, self.lastSeen());
                ps.executeUpdate();
            }
            return null;
        });
        Gauge.builder("gridsync_cluster_nodes", this::liveCount)
                .description("Hubs sharing the state database that sent a heartbeat within the last " + MISSED * HEARTBEAT.toSeconds()
                        + " s (this one included)").register(metrics);
        worker = supervisor.start("node-heartbeat", HEARTBEAT.multipliedBy(MISSED), this::beat);
    }

    private void beat(Worker w) {
        while (w.running()) {
            w.beat();
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET last_seen = ?, runs = ? WHERE id = ?")) {
                    ps.setLong(1, clock.millis());
                    ps.setString(2, String.join(",", new java.util.TreeSet<>(runs.get())));
                    ps.setString(3, self.id());
                    return ps.executeUpdate();
                }
            });
            if (!w.sleep(HEARTBEAT.toMillis())) {
                return;
            }
        }
    }

    /** Every node that registered, newest first. */
    public List<Node> list() {
        return db.query(c -> {
            List<Node> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, host, pid, version, started_at, last_seen, stopped_at, runs FROM nodes "
                    + "ORDER BY started_at DESC, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long stopped = rs.getLong(7);
                    Long stoppedAt = rs.wasNull() ? null : stopped;
                    String held = rs.getString(8);
                    out.add(new Node(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                            stoppedAt, held == null || held.isEmpty() ? List.of() : List.of(held.split(","))));
                }
            }
            return out;
        });
    }

    /** The nodes alive now: a heartbeat within {@link #MISSED} beats, not stopped. */
    public List<Node> live() {
        long now = clock.millis();
        return list().stream().filter(n -> n.live(now, deadAfterMillis())).toList();
    }

    /** How many nodes are alive now (this one included once it has registered): delivery shares the backlog among them. */
    public int liveCount() {
        return live().size();
    }

    /** How long after its last heartbeat a node counts as dead. */
    public static long deadAfterMillis() {
        return HEARTBEAT.multipliedBy(MISSED).toMillis();
    }

    /** Marks this node stopped (a graceful stop; a killed node just stops beating). */
    @Override
    public void close() {
        if (worker != null) {
            worker.stop();
        }
        try {
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET stopped_at = ?, last_seen = ?, runs = '' WHERE id = ?")) {
                    ps.setLong(1, clock.millis());
                    ps.setLong(2, clock.millis());
                    ps.setString(3, self.id());
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            // the database is away: the row just stops beating, which says the same after a few seconds
        }
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static String version() {
        String v = Nodes.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
