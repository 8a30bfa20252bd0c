package io.gridsync.server.router;

import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.deliver.Delivery;
import io.gridsync.core.fields.FieldCatalog;
import io.gridsync.core.integration.Actions;
import io.gridsync.core.lists.ListDirectory;
import io.gridsync.core.message.Message;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridClient;
import io.gridsync.server.jobs.Job;
import io.gridsync.server.jobs.JobQueue;
import io.gridsync.server.jobs.JobResult;
import io.gridsync.server.jobs.NewJob;
import io.gridsync.server.journal.Journal;
import io.gridsync.server.journal.JournalEntry;
import io.gridsync.server.ledger.JdbcIdentityLedger;
import io.gridsync.server.ledger.JdbcValueLedger;
import io.gridsync.server.health.LogEvery;
import io.gridsync.server.health.Supervisor;
import io.gridsync.server.health.Worker;
import io.gridsync.server.store.Database;
import io.gridsync.server.store.StorageFault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves messages from the journal to SendGrid. Routing: each new journal entry becomes one job per
 * matching subscription of each enabled integration (blocked when consent withholds it), written
 * with the router's cursor in one transaction, so a crash re-routes and never loses or doubles a
 * job. Delivery: due jobs are claimed per integration, run through core's actions in batches, and
 * each outcome is recorded; retries and dead letters are the {@link JobQueue}'s.
 */
public final class Router implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Router.class);
    /** The router's row in {@code cursors}: every message at or below its seq has its jobs. */
    public static final String CURSOR = "router";
    /** Jobs claimed at once per integration: large enough that upserts fill SendGrid's 30,000-contact requests. */
    static final int CLAIM_LIMIT = 30_000;
    /**
     * The smallest claim of a node that shares the backlog with others: below it, splitting a backlog
     * costs more SendGrid requests (and claims) than spreading it gains.
     */
    static final int CLAIM_FLOOR = 100;
    static final int ROUTE_BATCH = 10_000;
    /** Routed per turn at most before delivering, so a flood of new messages cannot starve delivery. */
    static final int MAX_ROUTE_PER_TURN = 100_000;
    /**
     * The longest a router waits between turns. Nothing here is told of other nodes' work: messages
     * they route, batches they record (a person's later job can go then), leases that run out (a
     * node died; 30 s after its last renewal by default), admin changes; a second is soon enough
     * for each, and an idle turn is a few indexed queries.
     */
    static final long POLL_MILLIS = 1000;
    /** The cluster work of routing the journal into jobs: one node at a time does it. */
    public static final String ROUTING = "routing";

    private final Database db;
    private final Journal journal;
    private final JobQueue jobs;
    private final Targets targets;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Duration sendGridTimeout;
    private final String owner;
    private final Duration leaseTimeout;
    private final java.util.function.BooleanSupplier routes;
    private final Runnable freshen;
    private final java.util.function.IntSupplier liveNodes;
    private final Object wakeup = new Object();
    private final Map<String, Context> contexts = new HashMap<>();
    private final AtomicLong queueDepth = new AtomicLong();
    private final Counter turns;
    private final List<DeliveryListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile boolean poked;
    private Worker worker;
    private Worker renewer;
    private final LogEvery failureLog = new LogEvery(Duration.ofMinutes(1));

    /** A target's compiled subscriptions and action context, rebuilt when the target changes. */
    private record Context(Target target, Map<String, Actions.Compiled> subscriptions, ActionContext actions) {}

    /**
     * @param node         this node's id: it owns the leases of the jobs this router claims
     * @param leaseTimeout how long a claimed job stays this node's without a renewal (GRIDSYNC_LEASE_TIMEOUT)
     * @param routes       whether this node routes the journal now (one node of a cluster does)
     * @param freshen      brings the configuration up to date with the other nodes' changes, before each turn
     * @param liveNodes    how many nodes deliver now (this one included): each claims its share of the backlog
     */
    public Router(Database db, Journal journal, JobQueue jobs, Targets targets, MeterRegistry metrics, Clock clock,
                  Duration sendGridTimeout, String node, Duration leaseTimeout, java.util.function.BooleanSupplier routes,
                  Runnable freshen, java.util.function.IntSupplier liveNodes) {
        this.liveNodes = liveNodes;
        this.sendGridTimeout = sendGridTimeout;
        this.owner = node;
        this.leaseTimeout = leaseTimeout;
        this.routes = routes;
        this.freshen = freshen;
        this.db = db;
        this.journal = journal;
        this.jobs = jobs;
        this.targets = targets;
        this.metrics = metrics;
        this.clock = clock;
        io.micrometer.core.instrument.Gauge.builder("gridsync_queue_depth", queueDepth, AtomicLong::get)
                .description("Jobs waiting for delivery (pending, including retries), after the router's last turn").register(metrics);
        turns = Counter.builder("gridsync_router_turns_total").description("Turns of the router's loop (route, deliver, wait): "
                + "an idle router turns about once a second, a busy one once per batch").register(metrics);
    }

    /** Tells {@code listener} about every batch of outcomes, before they are recorded. */
    public void onDelivered(DeliveryListener listener) {
        listeners.add(listener);
    }

    /** Starts routing and delivering on a worker of {@code supervisor}'s (restarted if it dies). */
    public void start(Supervisor supervisor) {
        int released = jobs.releaseAllLeases();
        if (released > 0) {
            log.info("picked up {} jobs claimed by a previous run that did not finish them", released);
        }
        // a batch in flight keeps its jobs however long SendGrid takes; a dead node's leases run out
        long every = Math.max(100, leaseTimeout.toMillis() / 3);
        renewer = supervisor.start("lease-renewal", Duration.ofMillis(every * 10), self -> {
            while (self.running()) {
                self.beat();
                jobs.renewLeases(owner, clock.millis() + leaseTimeout.toMillis());
                if (!self.sleep(every)) {
                    return;
                }
            }
        });
        journal.onAppend(this::poke);
        running = true;
        // a turn may deliver a large backlog, each SendGrid call bounded by the timeout (and its retries)
        Duration stallAfter = sendGridTimeout.multipliedBy(10).plusMinutes(5);
        worker = supervisor.start("router", stallAfter, this::loop);
    }

    /** Something changed (new messages, an integration edited): run again now. */
    public void poke() {
        synchronized (wakeup) {
            poked = true;
            wakeup.notifyAll();
        }
    }

    private void loop(Worker self) {
        while (running && self.running()) {
            self.beat();
            turns.increment();
            long waitMillis = POLL_MILLIS;
            try {
                freshen.run(); // another node's admin change is in force before this turn judges a message by it
                // route the whole backlog (up to a bound) before delivering, so claims fill SendGrid-sized batches
                boolean more = false;
                boolean routing = routes.getAsBoolean();
                for (int routed = 0; routing && routed < MAX_ROUTE_PER_TURN && (more = route()); routed += ROUTE_BATCH) {
                    // keep routing
                }
                Delivered delivered = deliver();
                queueDepth.set(jobs.depth());
                // after a batch, again at once: recording it may have let a person's later job go
                waitMillis = more || delivered.jobs() > 0 ? 0
                        : Math.max(0, Math.min(waitMillis, delivered.nextDue() - clock.millis()));
            } catch (RuntimeException e) {
                if (!StorageFault.is(e)) {
                    throw e; // a bug or bad data: the supervisor logs it with its stack and restarts the router
                }
                // the disk is full or the database gone; nothing is lost (jobs and cursor are durable): wait and try again
                if (failureLog.tick("storage-loop") > 0) {
                    log.warn("the router cannot use the state database (disk full or database away), retrying every second: {}", e.getMessage());
                }
            }
            synchronized (wakeup) {
                if (!poked && running && waitMillis > 0) {
                    try {
                        wakeup.wait(waitMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                poked = false;
            }
        }
    }

    /** Routes the next journal entries into jobs; true when more are waiting. */
    boolean route() {
        long cursor = cursor();
        List<JournalEntry> entries = journal.readAfter(cursor, ROUTE_BATCH);
        if (entries.isEmpty()) {
            return false;
        }
        List<Context> all = contexts();
        List<NewJob> newJobs = new ArrayList<>();
        for (JournalEntry e : entries) {
            Message m = new Message(e.body());
            for (Context ctx : all) {
                boolean blocked = Delivery.blockedByConsent(ctx.target().integration(), m);
                for (Actions.Compiled s : ctx.subscriptions().values()) {
                    if (s.trigger().matches(e.body())) {
                        newJobs.add(new NewJob(ctx.target().id(), s.subscription().name(), s.action().key(), e.personKey(), e.seq(),
                                blocked, blocked ? Delivery.blocked(ctx.target().integration()).detail() : null));
                    }
                }
            }
        }
        long last = entries.get(entries.size() - 1).seq();
        db.inTransaction(c -> {
            jobs.insert(c, newJobs, clock.millis());
            // never backwards: a node that routed the same entries after losing the routing work changes nothing
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cursors (name, seq) VALUES (?, ?) "
                    + "ON CONFLICT (name) DO UPDATE SET seq = excluded.seq WHERE cursors.seq < excluded.seq")) {
                ps.setString(1, CURSOR);
                ps.setLong(2, last);
                ps.executeUpdate();
            }
            return null;
        });
        Counter.builder("gridsync_jobs_created_total").description("Jobs made from journal messages by the router (one per "
                + "message and matching subscription)").register(metrics).increment(newJobs.size());
        return entries.size() == ROUTE_BATCH;
    }

    /** What a turn's delivery did: how many jobs it ran, and when a job it could not claim yet falls due. */
    record Delivered(int jobs, long nextDue) {}

    /**
     * Delivers due jobs of every target. A job its last claim left (leased to a node, or behind a
     * person's earlier job) is no reason to turn again at once: the next due time it answers is
     * the earliest after that claim.
     */
    Delivered deliver() {
        long next = clock.millis() + POLL_MILLIS;
        int ran = 0;
        int nodes = Math.max(1, liveNodes.getAsInt());
        for (Context ctx : contexts()) {
            long claimedAt = clock.millis();
            while (running) {
                int limit = nodes == 1 ? CLAIM_LIMIT
                        : claimLimit(jobs.due(ctx.target().id(), clock.millis(), CLAIM_LIMIT * nodes), nodes);
                claimedAt = clock.millis();
                List<Job> claimed = jobs.claim(ctx.target().id(), owner, claimedAt, limit, leaseTimeout.toMillis());
                if (claimed.isEmpty()) {
                    break;
                }
                record(run(ctx, claimed));
                ran += claimed.size();
                if (worker != null) {
                    worker.beat();
                }
                if (claimed.size() < limit) {
                    break;
                }
            }
            Long due = jobs.nextDueAfter(ctx.target().id(), claimedAt);
            if (due != null) {
                next = Math.min(next, due);
            }
        }
        return new Delivered(ran, next);
    }

    /**
     * How many jobs one claim of a node takes when {@code nodes} deliver: its share of the {@code due}
     * backlog (jobs other nodes hold included), so a backlog made at once is delivered by all of them
     * rather than by the node that looked first; never less than {@link #CLAIM_FLOOR} nor more than
     * {@link #CLAIM_LIMIT}. Alone, a node claims the whole limit.
     */
    static int claimLimit(int due, int nodes) {
        if (nodes <= 1) {
            return CLAIM_LIMIT;
        }
        int share = (due + nodes - 1) / nodes;
        return Math.min(CLAIM_LIMIT, Math.max(CLAIM_FLOOR, share));
    }

    /**
     * Records a delivered batch's outcomes. While the database cannot write (disk full, connection
     * lost) the outcomes are kept and written again with backoff rather than dropped: dropped, the
     * batch would be delivered a second time when its lease runs out.
     */
    private void record(List<JobResult> results) {
        long backoff = 250;
        boolean warned = false;
        while (true) {
            try {
                jobs.complete(results, clock.millis(), owner);
                if (warned) {
                    log.info("recorded the outcomes of {} delivered jobs after the database came back", results.size());
                }
                return;
            } catch (RuntimeException e) {
                if (!running || !StorageFault.is(e)) {
                    throw e; // not recorded: the jobs' leases run out and they are delivered again
                }
                if (!warned) {
                    log.warn("cannot record the outcomes of {} delivered jobs ({}); holding them and retrying",
                            results.size(), e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private List<JobResult> run(Context ctx, List<Job> claimed) {
        Map<String, List<Job>> bySubscription = new LinkedHashMap<>();
        for (Job j : claimed) {
            bySubscription.computeIfAbsent(j.subscription(), k -> new ArrayList<>()).add(j);
        }
        List<JobResult> results = new ArrayList<>(claimed.size());
        // catalog order: contacts exist before lists, fields or mail refer to them
        for (Actions.Compiled s : ctx.subscriptions().values()) {
            List<Job> batch = bySubscription.remove(s.subscription().name());
            if (batch == null) {
                continue;
            }
            List<Message> messages = new ArrayList<>(batch.size());
            batch.forEach(j -> messages.add(new Message(j.message())));
            long start = System.nanoTime();
            List<Outcome> outcomes;
            try {
                outcomes = Delivery.run(s, messages, ctx.actions());
            } catch (RuntimeException e) {
                // a failure outside SendGrid's answers (the database, a bug): retry, and say what it was
                if (StorageFault.is(e)) {
                    long n = failureLog.tick("storage");
                    if (n > 0) {
                        log.warn("delivering {} jobs of '{}': the state database cannot write ({}); retrying", batch.size(),
                                s.subscription().name(), e.getMessage());
                    }
                } else {
                    log.error("delivering {} jobs of '{}' failed", batch.size(), s.subscription().name(), e);
                }
                Outcome retry = Outcome.retry(0, "internal error: " + e, clock.instant());
                outcomes = java.util.Collections.nCopies(batch.size(), retry);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            for (DeliveryListener l : listeners) {
                try {
                    l.delivered(ctx.target(), s, messages, outcomes, ctx.actions());
                } catch (RuntimeException e) {
                    // a listener keeps its own state; delivery and its record do not depend on it
                    log.error("a delivery listener failed on '{}': {}", s.subscription().name(), e.toString(), e);
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                results.add(new JobResult(batch.get(i), outcomes.get(i), millis));
                count(s.action().key(), outcomes.get(i));
            }
            logFailures(ctx.target(), s.action().key(), outcomes);
        }
        if (!bySubscription.isEmpty()) {
            List<Job> unknown = new ArrayList<>();
            bySubscription.values().forEach(unknown::addAll);
            Context fresh = recheck(ctx);
            if (fresh != null && unknown.stream().anyMatch(j -> fresh.subscriptions().containsKey(j.subscription()))) {
                // another node added or renamed it after this node's last look: judge by the configuration as it is now
                results.addAll(run(fresh, unknown));
            } else {
                // jobs of subscriptions removed since they were routed
                unknown.forEach(j -> results.add(new JobResult(j,
                        Outcome.dead(0, "subscription '" + j.subscription() + "' no longer exists"), 0)));
            }
        }
        return results;
    }

    /**
     * Says in the log what went wrong, one line per integration, action and SendGrid status at most
     * once a minute, with how many jobs wait: a refused key must not fail silently for a day.
     */
    private void logFailures(Target target, String action, List<Outcome> outcomes) {
        Map<String, Outcome> firstByKind = new LinkedHashMap<>();
        Map<String, Integer> countByKind = new HashMap<>();
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Done || o instanceof Outcome.Blocked) {
                continue;
            }
            String kind = (o instanceof Outcome.Dead ? "dead" : "retry") + "|" + o.status();
            firstByKind.putIfAbsent(kind, o);
            countByKind.merge(kind, 1, Integer::sum);
        }
        firstByKind.forEach((kind, o) -> {
            String logKey = target.id() + "|" + action + "|" + kind;
            long n = failureLog.tick(logKey, countByKind.get(kind));
            if (n == 0) {
                return;
            }
            String integration = target.integration().name();
            boolean dead = o instanceof Outcome.Dead;
            String waiting = String.format("%,d", jobs.count("pending", target.id()));
            if (o.status() == 401 || o.status() == 403) {
                log.warn("SendGrid refused the API key ({}) for integration {}: {} {} job(s) {} in the last minute, {} waiting; "
                        + "rotate it with PATCH /v1/admin/integrations/{} {\"api_key\": ...}{}", o.status(), integration,
                        String.format("%,d", n), action, dead ? "dead-lettered" : "to retry", waiting, target.id(),
                        dead ? ", then POST /v1/admin/dead-letters/replay" : "");
            } else if (dead) {
                log.warn("{} {} job(s) of integration {} dead-lettered in the last minute ({}): {}; see GET /v1/admin/dead-letters",
                        String.format("%,d", n), action, integration, status(o.status()), o.detail());
            } else {
                log.warn("{} {} job(s) of integration {} to retry in the last minute ({}): {}; {} waiting",
                        String.format("%,d", n), action, integration, status(o.status()), o.detail(), waiting);
            }
        });
    }

    private static String status(int status) {
        return status == 0 ? "no answer from SendGrid" : "SendGrid answered " + status;
    }

    private void count(String action, Outcome o) {
        String name = o instanceof Outcome.Done ? "gridsync_delivered_total" : o instanceof Outcome.Retry ? "gridsync_retried_total"
                : o instanceof Outcome.Dead ? "gridsync_dead_total" : "gridsync_blocked_total";
        String help = o instanceof Outcome.Done ? "Jobs delivered to SendGrid, by action"
                : o instanceof Outcome.Retry ? "Delivery attempts that will be retried, by action"
                : o instanceof Outcome.Dead ? "Jobs dead-lettered, by action" : "Jobs blocked by consent, by action";
        Counter.builder(name).description(help).tag("action", action).register(metrics).increment();
    }

    /**
     * The target's context after reading the configuration again (a job is never dead-lettered by a
     * stale copy); null when it is gone, or when nothing changed since {@code ctx} was built.
     */
    private Context recheck(Context ctx) {
        freshen.run();
        for (Context c : contexts()) {
            if (c.target().id().equals(ctx.target().id())) {
                return c == ctx ? null : c;
            }
        }
        return null;
    }

    private synchronized List<Context> contexts() {
        List<Context> out = new ArrayList<>();
        Map<String, Context> fresh = new HashMap<>();
        for (Target t : targets.enabled()) {
            Context c = contexts.get(t.id());
            if (c == null || !c.target().equals(t)) {
                c = build(t);
            }
            fresh.put(t.id(), c);
            out.add(c);
        }
        contexts.clear();
        contexts.putAll(fresh);
        return out;
    }

    private Context build(Target t) {
        Map<String, Actions.Compiled> subs = new LinkedHashMap<>();
        for (Actions.Compiled s : Actions.compile(t.integration())) {
            subs.put(s.subscription().name(), s);
        }
        java.net.URI baseUrl = SendGridClient.resolveBaseUrl(t.integration().endpoint());
        // the nodes of a cluster draw on one rate-limit budget with every other client of the account
        SendGridClient client = io.gridsync.server.cluster.SendGridClients.over(db).open(baseUrl, t.apiKey(), sendGridTimeout,
                SendGridClient.RetryPolicy.DEFAULT);
        client.setListener((endpoint, status, nanos) -> {
            Timer.builder("gridsync_sendgrid_request_seconds").description("SendGrid API calls by endpoint and answer status "
                    + "(0: no answer)").tag("endpoint", endpoint).tag("status", Integer.toString(status))
                    .register(metrics).record(nanos, TimeUnit.NANOSECONDS);
        });
        SendGridApi api = new SendGridApi(client);
        // the nodes of a cluster create a missing list one at a time, so an audience never gets two
        ListDirectory lists = new ListDirectory(api, (name, work) -> io.gridsync.server.cluster.ClusterLocks.exclusively(db,
                "sendgrid-list:" + t.id() + ":" + name, work));
        ActionContext actions = new ActionContext(api, new FieldCatalog(api), lists,
                new JdbcIdentityLedger(db, t.id()), new JdbcValueLedger(db, t.id()), t.integration().defaultListId(),
                t.integration().createMissingFields(), Duration.ofMinutes(10), clock);
        return new Context(t, subs, actions);
    }

    private long cursor() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM cursors WHERE name = ?")) {
                ps.setString(1, CURSOR);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** Stops after the batch in hand is recorded (graceful shutdown). */
    @Override
    public void close() {
        if (worker != null) {
            worker.stop(); // first, so the supervisor does not take the loop's return for a failure
        }
        running = false;
        poke();
        if (worker != null) {
            worker.awaitStopped(Duration.ofSeconds(60));
        }
        if (renewer != null) {
            renewer.stop(); // last: the batch in hand kept its leases until it was recorded
        }
    }
}
