package io.gridsync.server.source;

import io.gridsync.server.cluster.SendGridClients;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridClient;
import io.gridsync.core.sendgrid.SendGridError;
import io.gridsync.core.sendgrid.SendGridException;
import io.gridsync.server.warehouse.Warehouse;
import io.gridsync.server.warehouse.WarehouseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One run of the object sync for one source: checks the API key's scopes ({@code GET /v3/scopes}),
 * then pulls each collection the source has on into its warehouse schema (in {@link #COLLECTIONS}
 * order: contacts and memberships, the big ones, last), and records how it went. A collection
 * whose scopes the key lacks is skipped, and one that fails does not stop the others; both are
 * recorded with the collection's name.
 */
public final class SourceSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SourceSync.class);

    /** Every collection, in the order a run pulls them. */
    static final List<MirroredCollection> COLLECTIONS = List.of(new FieldDefinitionsCollection(), new ListsCollection(),
            new SegmentsCollection(), new CampaignsCollection(), new SendersCollection(), new TemplatesCollection(),
            new TemplateVersionsCollection(), new SuppressionGroupsCollection(), new SuppressionGroupMembersCollection(),
            SuppressionListCollection.BOUNCES, SuppressionListCollection.BLOCKS, SuppressionListCollection.SPAM_REPORTS,
            SuppressionListCollection.INVALID_EMAILS, SuppressionListCollection.GLOBAL_SUPPRESSIONS, new StatsCollection(),
            MarketingStatsCollection.SINGLE_SENDS, MarketingStatsCollection.AUTOMATIONS, new RecipientsCollection(),
            MembersCollection.LISTS, MembersCollection.SEGMENTS);
    static final String READ = "marketing.read";
    static final String WRITE = "marketing.write";
    /** Rows per warehouse transaction: big enough for each database's fast path, small enough to keep memory flat. */
    static final int CHUNK_ROWS = 5_000;
    /** SendGrid prepares exports of millions of contacts in minutes; an hour is a broken export. */
    static final Duration EXPORT_TIMEOUT = Duration.ofHours(1);

    private final Warehouse warehouse;
    private final SourceRuns runs;
    private final Clock clock;
    private final Duration sendGridTimeout;
    private final SendGridClients clients;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gridsync-source-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public SourceSync(Warehouse warehouse, SourceRuns runs, Clock clock, Duration sendGridTimeout) {
        this(warehouse, runs, clock, sendGridTimeout, SendGridClients.unshared());
    }

    /** Its SendGrid calls through {@code clients}: a cluster's nodes pace the mirror by the account's one budget. */
    public SourceSync(Warehouse warehouse, SourceRuns runs, Clock clock, Duration sendGridTimeout, SendGridClients clients) {
        this.warehouse = warehouse;
        this.runs = runs;
        this.clock = clock;
        this.sendGridTimeout = sendGridTimeout;
        this.clients = clients;
    }

    /** Tables of every collection, in sync order. */
    public static List<String> tables() {
        return COLLECTIONS.stream().map(MirroredCollection::name).toList();
    }

    /** Mirrored tables other than {@code recipients} that hold addresses in an {@code email} column (suppressions, memberships), for erasures. */
    public static List<String> tablesWithEmail() {
        return COLLECTIONS.stream().filter(c -> !(c instanceof RecipientsCollection) && c.table().indexOf("email") >= 0)
                .map(MirroredCollection::name).toList();
    }

    static java.util.Optional<MirroredCollection> collection(String name) {
        return COLLECTIONS.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Runs the queued run {@code runId} of {@code source} to its end and returns it as recorded. */
    public SourceRun run(Source source, long runId) {
        Instant runAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        runs.running(runId, runAt);
        log.info("source {}: run {} started, into schema {} of {}", source.name(), runId, source.schema(), warehouse.describe());
        ScheduledFuture<?> beat = heartbeats.scheduleWithFixedDelay(() -> {
            try {
                runs.heartbeat(runId, clock.instant());
            } catch (RuntimeException e) {
                log.warn("source {}: run {} heartbeat not written: {}", source.name(), runId, e.toString());
            }
        }, SourceRuns.HEARTBEAT.toMillis(), SourceRuns.HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        RunOutcome outcome;
        try {
            outcome = execute(source, runAt);
        } catch (RuntimeException e) {
            log.error("source {}: run {} failed", source.name(), runId, e);
            outcome = RunOutcome.failed(RunStatus.FAILED, "internal error (" + e.getClass().getSimpleName() + "): " + e.getMessage()
                    + "; the hub's log has the details", List.of());
        } finally {
            beat.cancel(false);
        }
        boolean interrupted = Thread.interrupted(); // cleared, or the pool refuses the connection to record the end
        try {
            SourceRun run = runs.finish(runId, outcome, clock.instant());
            log.info("source {}: run {} {}: {} {}", source.name(), runId, run.status().wire(), run.message(), run.rows());
            return run;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    RunOutcome execute(Source source, Instant runAt) {
        if (source.apiKey() == null) {
            return RunOutcome.failed(RunStatus.INVALID_CREDENTIALS, "invalid credentials: the API key of source '" + source.name()
                    + "' cannot be read (sealed with another master key?); set it again: " + source.keyHint(), List.of());
        }
        SendGridApi api;
        try {
            api = new SendGridApi(clients.open(SendGridClient.resolveBaseUrl(source.endpoint()), source.apiKey(),
                    sendGridTimeout, SendGridClient.RetryPolicy.DEFAULT));
        } catch (IllegalArgumentException e) {
            return RunOutcome.failed(RunStatus.FAILED, e.getMessage(), List.of());
        }
        Set<String> granted;
        try {
            granted = api.scopes();
        } catch (SendGridException e) {
            if (e.status() == 401 || e.status() == 403) {
                return RunOutcome.failed(RunStatus.INVALID_CREDENTIALS, "invalid credentials: SendGrid refused the API key ("
                        + said(e) + "); set a valid key: " + source.keyHint(), List.of());
            }
            return RunOutcome.failed(RunStatus.FAILED, e.status() == 0 ? "cannot reach SendGrid at " + api.client().baseUrl() + ": "
                    + e.getMessage() : e.getMessage(), List.of());
        }
        // a collection whose scope the key lacks is skipped, named in the run's record; the others run
        List<MirroredCollection> runnable = new ArrayList<>();
        Set<String> missing = new TreeSet<>();
        List<String> errors = new ArrayList<>();
        for (MirroredCollection c : COLLECTIONS) {
            if (!source.syncs(c.name())) {
                continue;
            }
            Set<String> lacking = new TreeSet<>(c.scopes());
            lacking.removeAll(granted);
            if (lacking.isEmpty()) {
                runnable.add(c);
            } else {
                missing.addAll(lacking);
                errors.add(c.name() + " skipped: the API key lacks " + String.join(" and ", lacking));
            }
        }
        if (runnable.isEmpty() && !missing.isEmpty()) {
            return RunOutcome.failed(RunStatus.INVALID_CREDENTIALS, "invalid credentials: the API key lacks every scope the "
                    + "source's collections need (" + String.join(", ", missing) + "); in SendGrid give the key read access to "
                    + "them (Marketing full access for contacts) and set it: " + source.keyHint(), List.copyOf(missing));
        }

        SyncContext ctx = new SyncContext(api, warehouse, source.schema(), runAt, CHUNK_ROWS, EXPORT_TIMEOUT);
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Long> deleted = new LinkedHashMap<>();
        long data = 0;
        for (MirroredCollection c : runnable) {
            if (Thread.currentThread().isInterrupted()) {
                return interrupted(rows, deleted);
            }
            try {
                CollectionResult r = c.sync(ctx);
                rows.put(c.name(), r.rows());
                deleted.put(c.name(), r.deleted());
                data += r.dataRows();
            } catch (SendGridException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return interrupted(rows, deleted);
                }
                if (e.status() == 401) {
                    return new RunOutcome(RunStatus.INVALID_CREDENTIALS, rows, deleted, "invalid credentials: SendGrid refused the API "
                            + "key during the run (" + said(e) + "); set a valid key: " + source.keyHint(), List.of());
                }
                if (e.status() == 403) {
                    // the key has the scopes /v3/scopes listed for this collection; SendGrid refused it anyway
                    errors.add(c.name() + ": " + e.endpoint() + " was refused (" + said(e) + "); check the key's scopes in SendGrid");
                } else {
                    errors.add(c.name() + ": " + e.getMessage());
                }
            } catch (MirrorException | WarehouseException | IllegalArgumentException e) {
                errors.add(c.name() + ": " + e.getMessage());
            }
        }
        if (!missing.isEmpty()) {
            return new RunOutcome(RunStatus.INVALID_CREDENTIALS, rows, deleted, "invalid credentials: " + String.join("; ", errors)
                    + "; in SendGrid give the key those scopes and set it (" + source.keyHint() + "), or switch the collections off: "
                    + "PATCH /v1/admin/sources/" + source.name() + " {\"collections\": {\"<name>\": false}}", List.copyOf(missing));
        }
        if (!errors.isEmpty()) {
            return new RunOutcome(RunStatus.FAILED, rows, deleted, String.join("; ", errors), List.of());
        }
        return new RunOutcome(data == 0 ? RunStatus.ZERO_DATA_SYNCED : RunStatus.SUCCEEDED, rows, deleted, null, List.of());
    }

    private static RunOutcome interrupted(Map<String, Long> rows, Map<String, Long> deleted) {
        return new RunOutcome(RunStatus.INTERRUPTED, rows, deleted, "interrupted: the process stopped during the run"
                + (rows.isEmpty() ? "" : "; the collections finished are kept (" + String.join(", ", rows.keySet()) + ")")
                + "; the next run syncs everything again", List.of());
    }

    private static String said(SendGridException e) {
        String messages = e.errors().stream().map(SendGridError::message).filter(m -> m != null && !m.isBlank())
                .collect(Collectors.joining("; "));
        return e.status() + (messages.isEmpty() ? "" : " " + messages);
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
    }
}
