package io.gridsync.server.webhook;

import io.gridsync.server.forward.Forwarder;
import io.gridsync.server.forward.Outbox;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.Database;
import io.gridsync.server.warehouse.Warehouse;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.gridsync.server.health.Supervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Capture, wired: the webhook sources, the warehouse writer, the forwarding outbox and its worker,
 * the webhook endpoints and their admin routes. The hub starts one and closes it.
 */
public final class Capture implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Capture.class);

    private final Warehouse warehouse;
    private final WebhookSources sources;
    private final CaptureWriter writer;
    private final Forwarder forwarder;
    private final WebhookApi api;
    private final WebhookSourcesApi admin;

    private Capture(Warehouse warehouse, WebhookSources sources, CaptureWriter writer, Forwarder forwarder, WebhookApi api,
                    WebhookSourcesApi admin) {
        this.warehouse = warehouse;
        this.sources = sources;
        this.writer = writer;
        this.forwarder = forwarder;
        this.api = api;
        this.admin = admin;
    }

    /**
     * @param deadLetterAfter a forwarded event still failing after this long is dead
     */
    public static Capture start(CaptureConfig config, Path dataDir, Database db, SecretBox box, Duration deadLetterAfter, Clock clock,
                                MeterRegistry metrics, Supervisor supervisor) {
        return start(config, dataDir, db, box, deadLetterAfter, clock, metrics, supervisor, () -> true);
    }

    /** {@link #start}, forwarding only while {@code forwards} says this node runs the cluster's forwarding. */
    public static Capture start(CaptureConfig config, Path dataDir, Database db, SecretBox box, Duration deadLetterAfter, Clock clock,
                                MeterRegistry metrics, Supervisor supervisor, java.util.function.BooleanSupplier forwards) {
        Warehouse warehouse = Warehouse.open(config.warehouseUrl(), config.warehouseUser(), config.warehousePassword(), dataDir);
        CaptureWriter writer = null;
        try {
            WebhookSources sources = new WebhookSources(db, box, config.publicKey(), clock);
            writer = new CaptureWriter(warehouse, config.maxQueuedPosts(), supervisor);
            for (WebhookSource s : sources.list()) {
                writer.prepare(s.schema()); // the tables are there to look at before the first event
            }
            Outbox outbox = new Outbox(db, clock);
            Forwarder forwarder = new Forwarder(outbox, name -> sources.find(name).map(WebhookSource::forwarding).orElse(null), clock,
                    config.forwardRetry(), deadLetterAfter);
            forwarder.start(supervisor, forwards);
            WebhookApi api = new WebhookApi(sources, writer, new SignatureVerifier(config.tolerance()), outbox, forwarder, clock, metrics);
            log.info("capture: warehouse {}; default source {}", warehouse.describe(),
                    sources.find(WebhookSources.DEFAULT).map(s -> s.verifies() ? "verifies signatures" : "accepts unsigned posts")
                            .orElse(""));
            return new Capture(warehouse, sources, writer, forwarder, api, new WebhookSourcesApi(sources, outbox, writer));
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            warehouse.close();
            throw e;
        }
    }

    /** The webhook endpoints and the admin routes (register AdminApi first: its token check guards /v1/admin). */
    /** Forwarding URLs must start with one of these (GRIDSYNC_ALLOWED_ENDPOINTS); until set, none is allowed. */
    public void allowForwardingTo(io.gridsync.server.security.OutboundEndpoints endpoints) {
        admin.allow(endpoints);
    }

    public void register(Javalin app) {
        api.register(app);
        admin.register(app);
    }

    /** Events whose email {@code erasedEmail} accepts are acknowledged and not stored or forwarded (an erased person's). */
    public void dropEventsOf(java.util.function.Predicate<String> erasedEmail) {
        api.dropEventsOf(erasedEmail);
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    /** The webhook side of the admin source resource. */
    public io.gridsync.server.source.SourceWebhooks webhooks() {
        return admin;
    }

    public WebhookSources sources() {
        return sources;
    }

    /** Lets the posts in hand commit, stops forwarding, closes the warehouse. */
    @Override
    public void close() {
        writer.close();
        forwarder.close();
        warehouse.close();
    }

}
