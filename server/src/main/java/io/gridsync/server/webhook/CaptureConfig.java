package io.gridsync.server.webhook;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of capture and the warehouse (docs/configuration.md), from the environment.
 *
 * @param warehouseUrl      GRIDSYNC_WAREHOUSE_URL: null for SQLite files in {@code <data>/warehouse}
 * @param publicKey         SENDGRID_WEBHOOK_PUBLIC_KEY: verification key of the default source, or null
 * @param tolerance         GRIDSYNC_WEBHOOK_TOLERANCE: how far a signed timestamp may be from now
 * @param forwardRetry      GRIDSYNC_FORWARD_RETRY: first retry delay of a failed forward (doubles per attempt)
 * @param maxQueuedPosts    posts waiting for the warehouse writer before new ones get 503
 */
public record CaptureConfig(String warehouseUrl, String warehouseUser, String warehousePassword, String publicKey,
                            Duration tolerance, Duration forwardRetry, int maxQueuedPosts) {

    public static CaptureConfig defaults() {
        return new CaptureConfig(null, null, null, null, Duration.ofMinutes(5), Duration.ofSeconds(1), 256);
    }

    public CaptureConfig withEnvironment(Map<String, String> env, java.util.function.BiFunction<String, Duration, Duration> duration) {
        return new CaptureConfig(blankToNull(env.getOrDefault("GRIDSYNC_WAREHOUSE_URL", warehouseUrl)),
                env.getOrDefault("GRIDSYNC_WAREHOUSE_USER", warehouseUser),
                env.getOrDefault("GRIDSYNC_WAREHOUSE_PASSWORD", warehousePassword),
                blankToNull(env.getOrDefault("SENDGRID_WEBHOOK_PUBLIC_KEY", publicKey)),
                duration.apply(env.get("GRIDSYNC_WEBHOOK_TOLERANCE"), tolerance),
                duration.apply(env.get("GRIDSYNC_FORWARD_RETRY"), forwardRetry), maxQueuedPosts);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return "CaptureConfig[warehouse " + (warehouseUrl == null ? "SQLite" : warehouseUrl.replaceAll("(?i)password=[^&]*", "password=***"))
                + ", tolerance " + tolerance + ", forwardRetry " + forwardRetry + "]";
    }
}
