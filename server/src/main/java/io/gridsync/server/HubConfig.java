package io.gridsync.server;

import io.gridsync.server.collect.CollectSettings;
import io.gridsync.server.retention.RetentionSettings;
import io.gridsync.server.security.SecuritySettings;
import io.gridsync.server.source.Intervals;
import io.gridsync.server.store.Database;
import io.gridsync.server.webhook.CaptureConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the hub is told at start, from environment variables first (docs/configuration.md
 * lists each), with defaults that run on one machine with no setup.
 *
 * @param databaseUrl      null for SQLite in {@code dataDir}
 * @param writeKey         the write key created at first start (null: generate one)
 * @param adminToken       bearer token of the admin API (null: generate and keep one in the data directory)
 * @param masterKey        base64 AES key sealing API keys (null: a key file with 0600 permissions in dataDir)
 * @param dedupeWindow     messageIds seen within this window are acknowledged but not delivered again
 * @param deadLetterAfter  a job still failing after this long is dead-lettered with its reason
 * @param sendGridTimeout  how long a SendGrid call may take before it counts as lost (and is retried)
 * @param capture          the warehouse and the Event Webhook (GRIDSYNC_WAREHOUSE_*, SENDGRID_WEBHOOK_PUBLIC_KEY, ...)
 * @param sourceInterval   GRIDSYNC_SOURCE_INTERVAL: time between object syncs of a source (zero: on demand only)
 * @param retention        how long finished work is kept (GRIDSYNC_JOURNAL_RETENTION, GRIDSYNC_HISTORY_RETENTION)
 * @param security         what an admin-token holder may make the hub read or reach (GRIDSYNC_IMPORT_DIR, GRIDSYNC_ALLOWED_ENDPOINTS, ...)
 * @param collect          the collection routes' public side: rate limits, trusted proxies, public URL (GRIDSYNC_RATE_LIMIT_*, ...)
 * @param leaseTimeout     GRIDSYNC_LEASE_TIMEOUT: how long a claimed job stays its node's without a renewal; a dead node's
 *                         jobs go to the others after this long (docs/cluster.md)
 */
public record HubConfig(String host, int port, Path dataDir, String databaseUrl, String databaseUser, String databasePassword,
                        String writeKey, String adminToken, String masterKey, Duration dedupeWindow, Duration deadLetterAfter,
                        Duration sendGridTimeout, CaptureConfig capture, Duration sourceInterval,
                        RetentionSettings retention, SecuritySettings security, CollectSettings collect, Duration leaseTimeout) {

    public static HubConfig defaults(Path dataDir, int port) {
        return new HubConfig("127.0.0.1", port, dataDir, null, null, null, null, null, null,
                Duration.ofHours(24), Duration.ofHours(24), Duration.ofSeconds(30), CaptureConfig.defaults(), Intervals.DEFAULT,
                RetentionSettings.defaults(), SecuritySettings.defaults(), CollectSettings.defaults(), Duration.ofSeconds(30));
    }

    /** Applies {@code GRIDSYNC_*} variables over these values. */
    /** The state database: GRIDSYNC_DATABASE_URL's when set, else SQLite in the data directory. */
    public Database openDatabase() {
        return databaseUrl == null ? Database.sqlite(dataDir) : Database.open(databaseUrl, databaseUser, databasePassword);
    }

    public HubConfig withEnvironment(Map<String, String> env) {
        return new HubConfig(env.getOrDefault("GRIDSYNC_HOST", host), port, dataDir,
                env.getOrDefault("GRIDSYNC_DATABASE_URL", databaseUrl),
                env.getOrDefault("GRIDSYNC_DATABASE_USER", databaseUser),
                env.getOrDefault("GRIDSYNC_DATABASE_PASSWORD", databasePassword),
                env.getOrDefault("GRIDSYNC_WRITE_KEY", writeKey),
                env.getOrDefault("GRIDSYNC_ADMIN_TOKEN", adminToken),
                env.getOrDefault("GRIDSYNC_MASTER_KEY", masterKey),
                duration(env.get("GRIDSYNC_DEDUPE_WINDOW"), dedupeWindow),
                duration(env.get("GRIDSYNC_DEAD_LETTER_AFTER"), deadLetterAfter),
                duration(env.get("GRIDSYNC_SENDGRID_TIMEOUT"), sendGridTimeout),
                capture.withEnvironment(env, HubConfig::duration),
                interval(env.get("GRIDSYNC_SOURCE_INTERVAL"), sourceInterval),
                retention.withEnvironment(env, HubConfig::duration),
                security.withEnvironment(env),
                collect.withEnvironment(env),
                positive("GRIDSYNC_LEASE_TIMEOUT", duration(env.get("GRIDSYNC_LEASE_TIMEOUT"), leaseTimeout)));
    }

    /** This configuration with {@code urlPrefix} allowed as an endpoint (./gridsync up: its built-in emulator). */
    public HubConfig allowingEndpoint(String urlPrefix) {
        return new HubConfig(host, port, dataDir, databaseUrl, databaseUser, databasePassword, writeKey, adminToken, masterKey,
                dedupeWindow, deadLetterAfter, sendGridTimeout, capture, sourceInterval, retention, security.allowing(urlPrefix), collect,
                leaseTimeout);
    }

    /** This configuration with other collection settings (tests: small rate limits). */
    public HubConfig withCollect(CollectSettings collect) {
        return new HubConfig(host, port, dataDir, databaseUrl, databaseUser, databasePassword, writeKey, adminToken, masterKey,
                dedupeWindow, deadLetterAfter, sendGridTimeout, capture, sourceInterval, retention, security, collect, leaseTimeout);
    }

    /** GRIDSYNC_IMPORT_DIR, or {@code <data>/imports}. */
    public java.nio.file.Path importDir() {
        return security.importDir(dataDir);
    }

    /** GRIDSYNC_WAREHOUSE_URL (null: SQLite files in {@code <data>/warehouse}); one setting for capture and mirror. */
    public String warehouseUrl() {
        return capture.warehouseUrl();
    }

    public String warehouseUser() {
        return capture.warehouseUser();
    }

    public String warehousePassword() {
        return capture.warehousePassword();
    }

    private static Duration interval(String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Intervals.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GRIDSYNC_SOURCE_INTERVAL: " + e.getMessage());
        }
    }

    private static Duration positive(String name, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be longer than zero (e.g. 30s)");
        }
        return d;
    }

    private static Duration duration(String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return Durations.parse(value);
    }
}
