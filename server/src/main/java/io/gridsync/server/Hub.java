package io.gridsync.server;

import io.gridsync.server.admin.AdminApi;
import io.gridsync.server.admin.AdminAuth;
import io.gridsync.server.security.CohortAccess;
import io.gridsync.server.security.CohortJdbcRules;
import io.gridsync.server.security.ImportDirectory;
import io.gridsync.server.security.OutboundEndpoints;
import io.gridsync.server.security.PrivateFiles;
import io.gridsync.server.admin.AdminToken;
import io.gridsync.server.admin.DeliveryAdminApi;
import io.gridsync.server.audiences.AudienceAccount;
import io.gridsync.server.audiences.AudienceApi;
import io.gridsync.server.audiences.AudienceEvents;
import io.gridsync.server.audiences.AudienceRuns;
import io.gridsync.server.audiences.AudienceScheduler;
import io.gridsync.server.audiences.AudienceStore;
import io.gridsync.server.audiences.CohortSync;
import io.gridsync.server.audiences.MemberChanges;
import io.gridsync.server.audiences.MemberRequests;
import io.gridsync.server.audiences.ScheduledSyncs;
import io.gridsync.server.browser.AnalyticsJsCdn;
import io.gridsync.server.cluster.ClusterLocks;
import io.gridsync.server.cluster.ConfigVersion;
import io.gridsync.server.cluster.DataDirectoryLock;
import io.gridsync.server.cluster.Nodes;
import io.gridsync.server.cluster.SendGridClients;
import io.gridsync.server.collect.TrackingApi;
import io.gridsync.server.collect.WriteKey;
import io.gridsync.server.collect.WriteKeys;
import io.gridsync.server.erasure.Erasures;
import io.gridsync.server.health.DiskSpace;
import io.gridsync.server.health.Fatal;
import io.gridsync.server.health.Health;
import io.gridsync.server.health.Supervisor;
import io.gridsync.server.http.HttpLimits;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.StoredIntegration;
import io.gridsync.server.jobs.DeliveryLog;
import io.gridsync.server.jobs.JobQueue;
import io.gridsync.server.journal.Journal;
import io.gridsync.server.retention.Retention;
import io.gridsync.server.retention.StorageGauges;
import io.gridsync.server.router.Router;
import io.gridsync.server.router.StoredTargets;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.source.Mirror;
import io.gridsync.server.store.Database;
import io.gridsync.server.warehouse.Warehouse;
import io.gridsync.server.webhook.Capture;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The hub: the collection API, the journal, the router delivering to SendGrid, and the admin API,
 * on one port, over one state database. {@link #start} returns a running hub; {@link #close}
 * stops taking requests, lets the delivery in hand finish, and closes the database.
 */
public final class Hub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final HubConfig config;
    private final Database db;
    private final Journal journal;
    private final Router router;
    private final Capture capture;
    private final AudienceScheduler audiences;
    private final Warehouse warehouse;
    private final Mirror mirror;
    private final Retention retention;
    private final Javalin app;
    private final IntegrationStore integrations;
    private final String writeKey;
    private final String adminToken;
    private final Supervisor supervisor;
    private final Nodes nodes;
    private final ClusterLocks locks;
    private final DataDirectoryLock dataLock;
    private volatile boolean writeKeyGenerated;
    private volatile boolean adminTokenGenerated;
    private volatile List<String> routes = List.of();

    private Hub(Supervisor supervisor, HubConfig config, Database db, Journal journal, Router router, Capture capture,
                AudienceScheduler audiences, Warehouse warehouse, Mirror mirror, Retention retention, Javalin app,
                IntegrationStore integrations, String writeKey, String adminToken, Nodes nodes, ClusterLocks locks,
                DataDirectoryLock dataLock) {
        this.supervisor = supervisor;
        this.nodes = nodes;
        this.locks = locks;
        this.dataLock = dataLock;
        this.config = config;
        this.db = db;
        this.journal = journal;
        this.router = router;
        this.capture = capture;
        this.audiences = audiences;
        this.warehouse = warehouse;
        this.mirror = mirror;
        this.retention = retention;
        this.app = app;
        this.integrations = integrations;
        this.writeKey = writeKey;
        this.adminToken = adminToken;
    }

    public static Hub start(HubConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** With a clock of the caller's (tests: signed webhook vectors from 2020 checked against their own time). */
    public static Hub start(HubConfig config, Clock clock) {
        // before the database opens: a second hub on this data directory stops here, naming the first
        DataDirectoryLock dataLock = DataDirectoryLock.take(config.dataDir());
        Database db;
        try {
            db = config.openDatabase();
        } catch (RuntimeException e) {
            dataLock.close();
            throw e;
        }
        return start(config, clock, db, dataLock);
    }

    /** Over a state database the caller opened (tests: one whose connections fill up on purpose); the hub closes it. */
    static Hub start(HubConfig config, Clock clock, Database db) {
        DataDirectoryLock dataLock;
        try {
            dataLock = DataDirectoryLock.take(config.dataDir());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return start(config, clock, db, dataLock);
    }

    private static Hub start(HubConfig config, Clock clock, Database db, DataDirectoryLock dataLock) {
        Capture capture = null;
        Nodes nodes = null;
        ClusterLocks locks = null;
        Supervisor supervisor = null;
        Warehouse warehouse = null;
        Mirror mirror = null;
        try {
            Fatal.install(); // an Error in any thread ends the process: a half-dead hub would answer and store nothing
            Health health = new Health();
            supervisor = new Supervisor(health);
            DiskSpace disk = new DiskSpace(config.dataDir());
            // files this start creates are made private at its end; what was looser before is the owner's to change
            java.util.List<java.nio.file.Path> looserBefore = PrivateFiles.looser(config.dataDir());
            PrivateFiles.warn(looserBefore);
            ImportDirectory imports = new ImportDirectory(config.importDir());
            if (config.dataDir().toAbsolutePath().normalize().startsWith(imports.path())) {
                throw new IllegalArgumentException("GRIDSYNC_IMPORT_DIR " + imports.path() + " holds the data directory " + config.dataDir()
                        + ": cohort files would reach the master key and the database; name a directory of its own");
            }
            imports.create();
            CohortAccess cohortAccess = CohortAccess.confined(imports, new CohortJdbcRules(imports,
                    config.security().cohortJdbcDrivers(), config.security().cohortJdbcHosts()));
            OutboundEndpoints endpoints = config.security().endpoints();
            AdminApi.registerDatabase(health, db);
            health.register("disk", disk::status);
            SecretBox box = SecretBox.open(config);
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Journal journal = new Journal(db, config.dedupeWindow(), Journal.DEFAULT_MAX_PENDING_MESSAGES, supervisor);
            health.register("journal", journal::status);
            WriteKeys writeKeys = new WriteKeys(db);
            boolean writeKeyGenerated = config.writeKey() == null && writeKeys.list().stream().noneMatch(k -> k.revokedAt() == null);
            String writeKey = writeKey(config, writeKeys);
            IntegrationStore integrations = new IntegrationStore(db, box);
            AdminToken.Resolved resolvedToken = AdminToken.resolved(config, db, box);
            String adminToken = resolvedToken.token();
            AdminAuth adminAuth = new AdminAuth(adminToken, clock);
            if (!AdminToken.fromEnvironment(config)) {
                adminAuth.reloadFrom(() -> AdminToken.resolve(config, db, box)); // a rotation on another node of a cluster
            }
            adminAuth.enableSessions(db); // the console signs in with the admin token
            // cluster: hubs sharing one PostgreSQL; each registers, works once-per-cluster jobs under locks (docs/cluster.md)
            nodes = new Nodes(db, clock);
            ClusterLocks clusterLocks = locks = new ClusterLocks(db);
            ConfigVersion configVersion = new ConfigVersion(db);
            JobQueue jobs = new JobQueue(db, config.deadLetterAfter());
            Router router = new Router(db, journal, jobs, new StoredTargets(integrations), metrics, clock, config.sendGridTimeout(),
                    nodes.selfId(), config.leaseTimeout(), () -> clusterLocks.holds(Router.ROUTING), configVersion::poll,
                    nodes::liveCount);
            integrations.onChange(router::poke);
            // the stores of what nodes cache tell the others when they change something (./gridsync up's own install too)
            integrations.onChange(configVersion::bump);
            writeKeys.onChange(configVersion::bump);
            capture = Capture.start(config.capture(), config.dataDir(), db, box, config.deadLetterAfter(), clock, metrics,
                    supervisor, () -> clusterLocks.holds("forwarding"));
            capture.sources().onChange(configVersion::bump);

            // audiences: membership from Engage events (after Sync Audience), the audience API, scheduled cohort syncs
            AudienceStore audienceStore = new AudienceStore(db);
            router.onDelivered(new AudienceEvents(db, clock));
            MemberRequests memberRequests = new MemberRequests(db);
            AudienceRuns runs = new AudienceRuns(db);
            ScheduledSyncs syncs = new ScheduledSyncs(db, box);
            syncs.onChange(configVersion::bump);
            SendGridClients sendGridClients = SendGridClients.over(db); // every client of every node on one budget per account
            java.util.function.Function<String, Optional<AudienceAccount>> accounts = id -> account(integrations, sendGridClients, config, id);
            AudienceScheduler audiences = new AudienceScheduler(
                    new MemberChanges(audienceStore, memberRequests, accounts, clock), syncs,
                    new CohortSync(audienceStore, runs, config.dataDir().resolve("spool"), clock, Duration.ofMinutes(30), cohortAccess),
                    accounts, clock, Duration.ofSeconds(5));

            // mirror: SendGrid objects into the warehouse, on a schedule and on demand
            warehouse = capture.warehouse(); // one warehouse for capture and mirror (DuckDB allows one writer per file)
            mirror = Mirror.start(db, integrations, warehouse, config.sourceInterval(), config.sendGridTimeout(), clock,
                    supervisor, () -> clusterLocks.holds("mirror-schedule"));

            // bounded state: finished work past its retention is removed; disk use in /metrics
            Capture captureRef = capture;
            Retention retention = new Retention(db, config.retention(), warehouse,
                    () -> captureRef.sources().list().stream().map(s -> s.schema()).toList(), clock, metrics);
            StorageGauges.register(metrics, db, warehouse, disk);

            List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
            Javalin app = Javalin.create(cfg -> {
                cfg.showJavalinBanner = false;
                cfg.events.handlerAdded(h -> routes.add(h.getHttpMethod() + " " + h.getPath()));
                cfg.useVirtualThreads = false;
                HttpLimits.apply(cfg); // body ceiling, timeouts, threads, connections (docs/collect.md)
            });
            // unknown routes, and Javalin's own refusals, answer JSON like every other error of the hub
            app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus())
                    .contentType("application/json").result(io.gridsync.server.admin.AdminJson.MAPPER.createObjectNode()
                            .put("error", e.getStatus() == 404 ? "no such route: " + ctx.method() + " " + ctx.path()
                                    + " (the routes are in docs/admin.md and docs/collect.md)" : e.getMessage()).toString()));
            // erasure on request: later messages of erased people are dropped before the journal (docs/privacy.md)
            Capture captureForErasure = capture;
            Mirror mirrorForErasure = mirror;
            java.util.function.Supplier<java.util.Collection<String>> warehouseSchemas = () -> {
                java.util.Set<String> schemas = new java.util.TreeSet<>(mirrorForErasure.schemas());
                captureForErasure.sources().list().forEach(s -> schemas.add(s.schema()));
                return schemas;
            };
            Erasures erasures = new Erasures(db, box, integrations, warehouse, warehouseSchemas, config.sendGridTimeout(), clock, metrics);
            new TrackingApi(journal, writeKeys, metrics, erasures.suppression(), config.collect(), clock).register(app);
            new AnalyticsJsCdn(writeKeys, config.collect().publicUrl()).register(app);
            capture.dropEventsOf(erasures.suppression()::isErasedEmail);
            new AdminApi(integrations, writeKeys, health, disk, adminAuth,
                    new AdminApi.TokenRotation(db, box, AdminToken.fromEnvironment(config)), endpoints,
                    io.gridsync.server.cluster.SendGridClients.over(db), metrics).register(app);
            capture.allowForwardingTo(endpoints);
            new DeliveryAdminApi(jobs, new DeliveryLog(db), router::poke, clock, id -> integrations.get(id).isPresent()).register(app);
            capture.register(app);
            new AudienceApi(adminAuth, cohortAccess, audienceStore, memberRequests, syncs, runs, integrations, audiences, clock).register(app);
            mirror.attach(capture.webhooks());
            mirror.register(app);
            erasures.register(app);
            new io.gridsync.server.admin.OverviewRoutes(db, clock).register(app);
            new io.gridsync.server.admin.WarehouseRoutes(warehouse, warehouseSchemas, clock).register(app);
            new io.gridsync.server.console.ConsolePages(adminAuth.sessions()).register(app);
            new io.gridsync.server.admin.NodeRoutes(nodes, clock).register(app);
            Capture captureForReload = capture;
            configVersion.onChange(() -> {
                // another node's admin change: what this node caches is read again
                integrations.changedElsewhere();
                writeKeys.reload();
                captureForReload.sources().reload();
                router.poke();
                audiences.poke();
            });
            nodes.start(supervisor, metrics, clusterLocks::held);
            configVersion.start(supervisor);
            app.start(config.host(), config.port());
            router.start(supervisor);
            io.gridsync.server.admin.CredentialsCheck.atStart(integrations, io.gridsync.server.cluster.SendGridClients.over(db));
            for (StoredIntegration s : integrations.list()) {
                if (!isSendGridOwn(s.endpoint()) && !endpoints.allows(s.endpoint())) {
                    // stored before the allow-list, or the setting changed: it keeps working, but its owner should know
                    log.warn("integration '{}' sends its SendGrid key to an endpoint GRIDSYNC_ALLOWED_ENDPOINTS does not allow; "
                            + "allow it there, or PATCH its endpoint together with its api_key", s.name());
                }
            }
            audiences.start(supervisor, () -> clusterLocks.holds("audiences"));
            retention.start(supervisor); // once per cluster by its own per-pass advisory lock
            erasures.start(supervisor);
            List<java.nio.file.Path> createdLoose = new java.util.ArrayList<>(PrivateFiles.looser(config.dataDir()));
            createdLoose.removeAll(looserBefore);
            PrivateFiles.tighten(createdLoose);
            Hub hub = new Hub(supervisor, config, db, journal, router, capture, audiences, warehouse, mirror, retention, app, integrations,
                    writeKey, adminToken, nodes, locks, dataLock);
            hub.writeKeyGenerated = writeKeyGenerated;
            hub.adminTokenGenerated = resolvedToken.generated();
            hub.routes = List.copyOf(routes);
            return hub;
        } catch (RuntimeException e) {
            if (supervisor != null) {
                supervisor.close();
            }
            if (mirror != null) {
                mirror.close();
            }
            if (capture != null) {
                capture.close();
            }
            if (locks != null) {
                locks.close();
            }
            db.close();
            dataLock.close();
            throw e;
        }
    }

    /** The SendGrid account of an enabled integration, for audience work; empty when it is disabled, gone or unreadable. */
    private static Optional<AudienceAccount> account(IntegrationStore integrations, SendGridClients clients, HubConfig config, String id) {
        Optional<StoredIntegration> s = integrations.get(id).filter(StoredIntegration::enabled);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AudienceAccount(clients, io.gridsync.core.sendgrid.SendGridClient.resolveBaseUrl(s.get().endpoint()),
                    integrations.apiKey(id), config.sendGridTimeout(), Duration.ofMinutes(10)));
        } catch (RuntimeException e) {
            log.error("integration {}: its SendGrid account cannot be used for audiences: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean isSendGridOwn(String endpoint) {
        return endpoint == null || endpoint.isBlank() || endpoint.trim().equalsIgnoreCase("global") || endpoint.trim().equalsIgnoreCase("eu");
    }

    /** GRIDSYNC_WRITE_KEY when set, else the first write key there is, else a new one named "default". */
    private static String writeKey(HubConfig config, WriteKeys keys) {
        if (config.writeKey() != null) {
            keys.ensure(config.writeKey(), "GRIDSYNC_WRITE_KEY");
            return config.writeKey();
        }
        List<WriteKey> existing = keys.list().stream().filter(k -> k.revokedAt() == null).toList();
        return existing.isEmpty() ? keys.create("default") : existing.get(0).key();
    }

    /** Every route the hub answers, as {@code "GET /v1/admin/events"} (before-handlers as {@code "BEFORE ..."}). */
    public List<String> routes() {
        return routes;
    }

    public int port() {
        return app.port();
    }

    /** e.g. {@code http://127.0.0.1:8080}: the collection URL analytics libraries point at. */
    public String baseUrl() {
        return "http://" + config.host() + ":" + port();
    }

    public String writeKey() {
        return writeKey;
    }

    public String adminToken() {
        return adminToken;
    }

    /** Whether this start created the write key (./gridsync up prints it only then). */
    public boolean writeKeyGenerated() {
        return writeKeyGenerated;
    }

    /** Whether this start generated the admin token (./gridsync up prints it only then). */
    public boolean adminTokenGenerated() {
        return adminTokenGenerated;
    }

    public IntegrationStore integrations() {
        return integrations;
    }

    public Database database() {
        return db;
    }

    /** The warehouse and webhook sources (capture). */
    public Capture capture() {
        return capture;
    }

    /** Where mirrored SendGrid objects (and captured events) are kept. */
    public Warehouse warehouse() {
        return warehouse;
    }

    /** The object sync: sources, scheduler, runs. */
    public Mirror mirror() {
        return mirror;
    }

    /** Removes finished state past its retention (tests run a pass with {@link Retention#runOnce}). */
    public Retention retention() {
        return retention;
    }

    /** Graceful: no new requests, the batch being delivered is recorded, then the database closes. */
    @Override
    public void close() {
        log.info("stopping: no new requests; finishing the delivery in hand");
        app.stop();
        retention.close();
        audiences.close();
        router.close();
        mirror.close();
        capture.close(); // closes the warehouse
        journal.close();
        nodes.close();
        locks.close(); // the cluster work this node ran goes to another node now
        supervisor.close();
        db.close();
        dataLock.close();
        log.info("stopped");
    }
}
