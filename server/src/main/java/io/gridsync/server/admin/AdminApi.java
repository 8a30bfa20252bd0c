package io.gridsync.server.admin;

import io.gridsync.server.cluster.SendGridClients;
import io.gridsync.server.collect.WriteKeys;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.health.DiskSpace;
import io.gridsync.server.health.Health;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.security.OutboundEndpoints;
import io.gridsync.server.store.Database;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The hub's admin API (docs/admin.md): integrations and their subscriptions, write keys, all under
 * {@code /v1/admin} behind {@code Authorization: Bearer <admin token>}; plus {@code /healthz} and
 * {@code /metrics}, open for probes and scrapers.
 */
public final class AdminApi {

    private final AdminAuth auth;
    private final IntegrationRoutes integrations;
    private final SubscriptionRoutes subscriptions;
    private final WriteKeyRoutes writeKeys;
    private final HealthRoutes health;
    private final AdminTokenRoutes tokens;

    /** Where a rotated admin token is kept, and whether it comes from the environment instead. */
    public record TokenRotation(Database db, SecretBox box, boolean fromEnvironment) {}

    /**
     * @param adminToken from {@link AdminToken#resolve}
     * @param registry   the hub's meter registry, served at /metrics
     */
    public AdminApi(IntegrationStore store, WriteKeys writeKeys, Database db, String adminToken, PrometheusMeterRegistry registry) {
        this(store, writeKeys, db, adminToken, OutboundEndpoints.NONE, registry);
    }

    /** @param endpoints where an integration's endpoint may point besides global and eu */
    public AdminApi(IntegrationStore store, WriteKeys writeKeys, Database db, String adminToken, OutboundEndpoints endpoints,
                    PrometheusMeterRegistry registry) {
        this(store, writeKeys, databaseOnly(db), null, new AdminAuth(adminToken), null, endpoints, SendGridClients.over(db), registry);
    }

    /**
     * @param health the hub's components for /healthz (the database among them)
     * @param disk   the data directory's filesystem, reported by /healthz (null: not reported)
     */
    public AdminApi(IntegrationStore store, WriteKeys writeKeys, Health health, DiskSpace disk, String adminToken,
                    PrometheusMeterRegistry registry) {
        this(store, writeKeys, health, disk, new AdminAuth(adminToken), null, OutboundEndpoints.NONE, SendGridClients.unshared(), registry);
    }

    /**
     * @param auth      the admin token check, shared with the audience API (a rotation reaches both)
     * @param tokens    rotating the admin token (null: not offered)
     * @param endpoints where an integration's endpoint may point
     * @param clients   opens the credentials test's SendGrid client (on the account's budget, as every other)
     */
    public AdminApi(IntegrationStore store, WriteKeys writeKeys, Health health, DiskSpace disk, AdminAuth auth, TokenRotation tokens,
                    OutboundEndpoints endpoints, SendGridClients clients, PrometheusMeterRegistry registry) {
        this.auth = auth;
        this.tokens = tokens == null ? null : new AdminTokenRoutes(auth, tokens.db(), tokens.box(), tokens.fromEnvironment());
        this.integrations = new IntegrationRoutes(store, endpoints, clients);
        this.subscriptions = new SubscriptionRoutes(store);
        this.writeKeys = new WriteKeyRoutes(writeKeys);
        this.health = new HealthRoutes(health, disk, registry);
    }

    /** The component "database" of {@code /healthz}: the state database answers a trivial query. */
    public static void registerDatabase(Health health, Database db) {
        health.register("database", () -> HealthRoutes.database(db));
    }

    private static Health databaseOnly(Database db) {
        Health h = new Health();
        registerDatabase(h, db);
        return h;
    }

    public void register(Javalin app) {
        app.before("/v1/admin", auth::check);
        app.before("/v1/admin/*", auth::check);
        integrations.register(app);
        subscriptions.register(app);
        writeKeys.register(app);
        health.register(app);
        new OpenApiRoutes().register(app);
        if (tokens != null) {
            tokens.register(app);
        }
        if (auth.sessions() != null) {
            new SessionRoutes(auth, auth.sessions()).register(app);
        }
    }
}
