package io.gridsync.server.collect;

import io.gridsync.server.http.ClientAddress;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the collection routes treat the public, browsers above all (docs/configuration.md):
 *
 * @param publicUrl      GRIDSYNC_PUBLIC_URL: the hub's address as browsers reach it (behind a proxy);
 *                       null: taken from each request
 * @param trustedProxies GRIDSYNC_TRUSTED_PROXIES: peers whose X-Forwarded-For names the client
 * @param perWriteKey    GRIDSYNC_RATE_LIMIT_WRITE_KEY: requests a second per write key (0: no limit)
 * @param perClient      GRIDSYNC_RATE_LIMIT_CLIENT: requests a second per client address (0: no limit)
 */
public record CollectSettings(String publicUrl, List<String> trustedProxies, double perWriteKey, double perClient) {

    public CollectSettings {
        trustedProxies = List.copyOf(trustedProxies);
    }

    public static CollectSettings defaults() {
        return new CollectSettings(null, List.of(), 1000, 500);
    }

    public CollectSettings withEnvironment(Map<String, String> env) {
        String url = env.get("GRIDSYNC_PUBLIC_URL");
        String proxies = env.get("GRIDSYNC_TRUSTED_PROXIES");
        List<String> trusted = proxies == null ? trustedProxies
                : Arrays.stream(proxies.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        ClientAddress.trusting(trusted); // a wrong entry is named now, before anything starts
        return new CollectSettings(url == null || url.isBlank() ? publicUrl : publicUrl(url.trim()), trusted,
                rate(env, "GRIDSYNC_RATE_LIMIT_WRITE_KEY", perWriteKey), rate(env, "GRIDSYNC_RATE_LIMIT_CLIENT", perClient));
    }

    /** These settings with other rate limits (tests, the benchmark). */
    public CollectSettings withRateLimits(double perWriteKey, double perClient) {
        return new CollectSettings(publicUrl, trustedProxies, perWriteKey, perClient);
    }

    private static String publicUrl(String url) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            u = null;
        }
        if (u == null || u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("GRIDSYNC_PUBLIC_URL '" + url
                    + "' must be the hub's URL as browsers reach it, e.g. https://collect.shop.example");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static double rate(Map<String, String> env, String name, double fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException(name + " '" + v + "' must be requests per second, a number >= 0 (0: no limit)");
    }
}
