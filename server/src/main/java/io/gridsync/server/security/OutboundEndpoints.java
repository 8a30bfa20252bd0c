package io.gridsync.server.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where the hub may send a secret: SendGrid's own {@code global} and {@code eu} endpoints, and URLs
 * starting with a prefix the owner allowed (GRIDSYNC_ALLOWED_ENDPOINTS). An admin-token holder
 * cannot point a stored API key or forwarding key at a listener of their own.
 */
public final class OutboundEndpoints {

    /** Only global and eu. */
    public static final OutboundEndpoints NONE = new OutboundEndpoints(List.of());

    private final List<String> prefixes;

    public OutboundEndpoints(List<String> prefixes) {
        this.prefixes = prefixes.stream().map(p -> p.trim().endsWith(":*") ? p.trim().toLowerCase(Locale.ROOT) : normalize(p)).toList();
    }

    /** Whether {@code url} (an http(s) URL) starts with an allowed prefix, at a path boundary. */
    public boolean allows(String url) {
        String u = normalize(url);
        if (u.startsWith("invalid:")) {
            return false;
        }
        for (String p : prefixes) {
            if (p.endsWith(":*")) { // scheme://host:* allows any port of that host (tests; an emulator on a random port)
                String hostPart = p.substring(0, p.length() - 1);
                if (u.startsWith(hostPart) && u.substring(hostPart.length()).matches("\\d+(/.*)?")) {
                    return true;
                }
                continue;
            }
            String base = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
            if (u.equals(base) || u.startsWith(base + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks a SendGrid endpoint setting: global, eu (or empty: global), or an allowed URL.
     *
     * @throws IllegalArgumentException naming the setting to change
     */
    public void checkSendGrid(String endpoint) {
        if (endpoint == null || endpoint.isBlank() || endpoint.trim().equalsIgnoreCase("global") || endpoint.trim().equalsIgnoreCase("eu")) {
            return;
        }
        if (normalize(endpoint).startsWith("invalid:")) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' is not a URL; use global, eu or an http(s) URL allowed by "
                    + "GRIDSYNC_ALLOWED_ENDPOINTS");
        }
        if (!allows(endpoint)) {
            throw new IllegalArgumentException("endpoint must be global, eu, or a URL starting with a prefix in GRIDSYNC_ALLOWED_ENDPOINTS "
                    + "(set on the hub's machine); " + shown(endpoint) + " is not allowed");
        }
    }

    /** @throws IllegalArgumentException unless a forwarding URL is allowed */
    public void checkForwarding(String url) {
        if (!allows(url)) {
            throw new IllegalArgumentException("the forwarding url must start with a prefix in GRIDSYNC_ALLOWED_ENDPOINTS (set on the hub's "
                    + "machine, e.g. https://api.segment.io/); " + shown(url) + " is not allowed");
        }
    }

    /** Scheme, host and port only: a URL given here may carry a token in its path or query. */
    private static String shown(String url) {
        try {
            URI u = URI.create(url.trim());
            if (u.getScheme() != null && u.getHost() != null) {
                return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
            }
        } catch (RuntimeException ignored) {
            // not a URL at all
        }
        return "that value";
    }

    /** Lower-case scheme and host, no user-info: "HTTP://User@Host:1/x" and "http://host:1/x" are one URL here. */
    static String normalize(String url) {
        try {
            URI u = URI.create(url.trim()).normalize(); // no /allowed/../elsewhere
            if (u.getScheme() == null || u.getHost() == null || u.getRawUserInfo() != null) {
                return "invalid:" + url;
            }
            return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT)
                    + (u.getPort() < 0 ? "" : ":" + u.getPort()) + (u.getRawPath() == null ? "" : u.getRawPath())
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } catch (RuntimeException e) {
            return "invalid:" + url;
        }
    }
}
