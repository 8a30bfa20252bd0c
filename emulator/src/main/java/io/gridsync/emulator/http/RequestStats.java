package io.gridsync.emulator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request counts per {@code METHOD /path/{template}}, so tests can assert how many calls a sync
 * made, and of those the ones the rate limit refused with a 429, so they can assert how well a
 * client (or several) kept within it.
 */
public final class RequestStats {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rateLimited = new ConcurrentHashMap<>();

    public void count(String method, String pathTemplate) {
        counts.computeIfAbsent(method + " " + pathTemplate, k -> new AtomicLong()).incrementAndGet();
    }

    /** A request {@link #count counted} already that the rate limit refused. */
    public void rateLimited(String method, String pathTemplate) {
        rateLimited.computeIfAbsent(method + " " + pathTemplate, k -> new AtomicLong()).incrementAndGet();
    }

    public long get(String method, String pathTemplate) {
        AtomicLong c = counts.get(method + " " + pathTemplate);
        return c == null ? 0 : c.get();
    }

    public void reset() {
        counts.clear();
        rateLimited.clear();
    }

    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        ObjectNode requests = out.putObject("requests");
        new TreeMap<>(counts).forEach((k, v) -> requests.put(k, v.get()));
        ObjectNode limited = out.putObject("rate_limited");
        new TreeMap<>(rateLimited).forEach((k, v) -> limited.put(k, v.get()));
        return out;
    }
}
