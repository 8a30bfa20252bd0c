package io.gridsync.server.source;

import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.store.Database;
import io.gridsync.server.warehouse.Warehouse;
import io.javalin.Javalin;

import java.time.Clock;
import java.time.Duration;

/**
 * The hub's mirror: its integrations as sources, pulled into the warehouse on a schedule and on
 * demand, with the admin routes. The warehouse is the hub's (shared with capture); closing the
 * mirror stops the scheduler and leaves the warehouse open.
 */
public final class Mirror implements AutoCloseable {

    /** How often the scheduler looks for due sources. */
    static final Duration TICK = Duration.ofSeconds(15);

    private final SourceRuns runs;
    private final SourceSync sync;
    private final SyncScheduler scheduler;
    private final SourceAdminApi admin;
    private final SourceDirectory sources;

    private Mirror(SourceRuns runs, SourceSync sync, SyncScheduler scheduler, SourceAdminApi admin, SourceDirectory sources) {
        this.sources = sources;
        this.runs = runs;
        this.sync = sync;
        this.scheduler = scheduler;
        this.admin = admin;
    }

    /**
     * @param defaultInterval {@code GRIDSYNC_SOURCE_INTERVAL}: between runs of a source without its own setting (zero: on demand only)
     * @param sendGridTimeout how long one SendGrid call may take
     */
    public static Mirror start(Database db, IntegrationStore integrations, Warehouse warehouse, Duration defaultInterval,
                               Duration sendGridTimeout, Clock clock, io.gridsync.server.health.Supervisor supervisor) {
        return start(db, integrations, warehouse, defaultInterval, sendGridTimeout, clock, supervisor, () -> true);
    }

    /** {@link #start}, the schedule run only while {@code ours} says this node runs the cluster's mirror schedule. */
    public static Mirror start(Database db, IntegrationStore integrations, Warehouse warehouse, Duration defaultInterval,
                               Duration sendGridTimeout, Clock clock, io.gridsync.server.health.Supervisor supervisor,
                               java.util.function.BooleanSupplier ours) {
        SourceRuns runs = new SourceRuns(db);
        SourceSettingsStore settings = new SourceSettingsStore(db);
        SourceDirectory sources = new IntegrationSources(integrations, settings, defaultInterval);
        SourceSync sync = new SourceSync(warehouse, runs, clock, sendGridTimeout, io.gridsync.server.cluster.SendGridClients.over(db));
        SyncScheduler scheduler = new SyncScheduler(sources, runs, sync, clock).start(TICK, supervisor, ours);
        return new Mirror(runs, sync, scheduler, new SourceAdminApi(sources, runs, settings, scheduler), sources);
    }

    /** Shows and changes each source's webhook key and forwarding (capture's) with the rest of the source. */
    public void attach(SourceWebhooks webhooks) {
        admin.attach(webhooks);
    }

    public void register(Javalin app) {
        admin.register(app);
    }

    /** The warehouse schemas the sources write into now (erasures look there). */
    public java.util.List<String> schemas() {
        return sources.all().stream().map(Source::schema).distinct().toList();
    }

    public SyncScheduler scheduler() {
        return scheduler;
    }

    public SourceRuns runs() {
        return runs;
    }

    @Override
    public void close() {
        scheduler.close();
        sync.close();
    }
}
