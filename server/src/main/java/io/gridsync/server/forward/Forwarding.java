package io.gridsync.server.forward;

import java.net.URI;

/**
 * Where a source's events are forwarded: an HTTP(S) URL, the format, and the destination's key
 * (Segment write key or Amplitude API key; a secret, kept sealed at rest and masked in answers).
 */
public record Forwarding(String url, ForwardFormat format, String key) {

    public Forwarding {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("url '" + url + "' is not a URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("url must be an http:// or https:// URL, e.g. https://api.segment.io/v1/batch "
                    + "or https://api2.amplitude.com/2/httpapi");
        }
    }

    /** The key as answers show it: the last four characters. */
    public String maskedKey() {
        if (key == null || key.isEmpty()) {
            return null;
        }
        return "****" + (key.length() > 8 ? key.substring(key.length() - 4) : "");
    }

    @Override
    public String toString() {
        return "Forwarding[" + url + ", " + format.wireName() + ", key " + maskedKey() + "]";
    }
}
