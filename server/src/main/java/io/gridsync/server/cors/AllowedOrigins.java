package io.gridsync.server.cors;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The web origins a write key may be used from (an Origin header is what a browser sends; a
 * server-side library sends none and is not affected). Each entry is an origin
 * ({@code https://shop.example}, {@code http://127.0.0.1:5173}), an origin with a wildcard first
 * label ({@code https://*.shop.example}: its subdomains, not itself), or {@code *}: any origin,
 * the default, as Segment has it. An empty list allows no browser at all.
 */
public record AllowedOrigins(List<String> entries) {

    public static final AllowedOrigins ANY = new AllowedOrigins(List.of("*"));

    public AllowedOrigins {
        entries = List.copyOf(entries);
    }

    /** Checks and normalises (lower case, default ports dropped) what a user gave; duplicates go. */
    public static AllowedOrigins parse(List<String> given) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String g : given) {
            out.add(normalise(g));
        }
        return new AllowedOrigins(new ArrayList<>(out));
    }

    public boolean any() {
        return entries.contains("*");
    }

    /** True when a request with this Origin header may use the key. */
    public boolean allows(String origin) {
        if (any()) {
            return true;
        }
        String o;
        try {
            o = normalise(origin);
        } catch (IllegalArgumentException e) {
            return false; // "null" (a sandboxed page, a file://) and anything malformed: only "*" allows it
        }
        for (String e : entries) {
            if (e.equals(o)) {
                return true;
            }
            int star = e.indexOf("://*.");
            if (star > 0) {
                String scheme = e.substring(0, star + 3);
                String suffix = e.substring(star + 4); // ".shop.example[:port]"
                if (o.startsWith(scheme) && o.endsWith(suffix) && o.length() > scheme.length() + suffix.length()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String normalise(String given) {
        if (given == null || given.isBlank()) {
            throw new IllegalArgumentException("an allowed origin must not be empty; use \"*\" for any origin");
        }
        String s = given.trim().toLowerCase(Locale.ROOT);
        if (s.equals("*")) {
            return s;
        }
        String why = "allowed origin '" + given + "' must be scheme://host[:port] (http or https, no path), e.g. https://shop.example, "
                + "https://*.shop.example or \"*\"";
        boolean wildcard = s.contains("://*.");
        URI u;
        try {
            u = new URI(wildcard ? s.replace("://*.", "://wildcard.") : s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(why);
        }
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
                || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null
                || !(u.getRawPath() == null || u.getRawPath().isEmpty())) {
            throw new IllegalArgumentException(why);
        }
        int port = u.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String host = wildcard ? "*." + u.getHost().substring("wildcard.".length()) : u.getHost();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }
}
