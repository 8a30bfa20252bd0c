package io.gridsync.server;

import io.gridsync.server.admin.AdminApi;
import io.gridsync.server.admin.AdminToken;
import io.gridsync.server.admin.DeliveryAdminApi;
import io.gridsync.server.collect.TrackingApi;
import io.gridsync.server.collect.WriteKey;
import io.gridsync.server.collect.WriteKeys;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.jobs.DeliveryLog;
import io.gridsync.server.jobs.JobQueue;
import io.gridsync.server.journal.Journal;
import io.gridsync.server.router.Router;
import io.gridsync.server.router.StoredTargets;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.source.Mirror;
import io.gridsync.server.store.Database;
import io.gridsync.server.warehouse.Warehouse;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

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
    private final Warehouse warehouse;
    private final Mirror mirror;
    private final Javalin app;
    private final IntegrationStore integrations;
    private final String writeKey;
    private final String adminToken;

    private Hub(HubConfig config, Database db, Journal journal, Router router, Warehouse warehouse, Mirror mirror, Javalin app,
                IntegrationStore integrations, String writeKey, String adminToken) {
        this.config = config;
        this.db = db;
        this.journal = journal;
        this.router = router;
        this.warehouse = warehouse;
        this.mirror = mirror;
        this.app = app;
        this.integrations = integrations;
        this.writeKey = writeKey;
        this.adminToken = adminToken;
    }

    public static Hub start(HubConfig config) {
        Database db = config.databaseUrl() == null ? Database.sqlite(config.dataDir())
                : Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword());
        Warehouse warehouse = null;
        Mirror mirror = null;
        try {
            SecretBox box = SecretBox.open(config);
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Clock clock = Clock.systemUTC();
            Journal journal = new Journal(db, config.dedupeWindow());
            WriteKeys writeKeys = new WriteKeys(db);
            String writeKey = writeKey(config, writeKeys);
            IntegrationStore integrations = new IntegrationStore(db, box);
            String adminToken = AdminToken.resolve(config, db, box);
            JobQueue jobs = new JobQueue(db, config.deadLetterAfter());
            Router router = new Router(db, journal, jobs, new StoredTargets(integrations), metrics, clock, config.sendGridTimeout());
            integrations.onChange(router::poke);
            warehouse = Warehouse.open(config.warehouseUrl(), config.warehouseUser(), config.warehousePassword(), config.dataDir());
            mirror = Mirror.start(db, integrations, warehouse, config.sourceInterval(), config.sendGridTimeout(), clock);

            Javalin app = Javalin.create(cfg -> {
                cfg.showJavalinBanner = false;
                cfg.http.maxRequestSize = 8L * 1024 * 1024;
                cfg.useVirtualThreads = false;
            });
            new TrackingApi(journal, writeKeys, metrics).register(app);
            new AdminApi(integrations, writeKeys, db, adminToken, metrics).register(app);
            new DeliveryAdminApi(jobs, new DeliveryLog(db), router::poke, clock).register(app);
            mirror.register(app);
            app.start(config.host(), config.port());
            router.start();
            return new Hub(config, db, journal, router, warehouse, mirror, app, integrations, writeKey, adminToken);
        } catch (RuntimeException e) {
            if (mirror != null) {
                mirror.close();
            }
            if (warehouse != null) {
                warehouse.close();
            }
            db.close();
            throw e;
        }
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

    public IntegrationStore integrations() {
        return integrations;
    }

    public Database database() {
        return db;
    }

    /** Where mirrored SendGrid objects (and captured events) are kept. */
    public Warehouse warehouse() {
        return warehouse;
    }

    /** The object sync: sources, scheduler, runs. */
    public Mirror mirror() {
        return mirror;
    }

    /** Graceful: no new requests, the batch being delivered is recorded, then the database closes. */
    @Override
    public void close() {
        log.info("stopping: no new requests; finishing the delivery in hand");
        app.stop();
        router.close();
        mirror.close();
        warehouse.close();
        journal.close();
        db.close();
        log.info("stopped");
    }
}
