package io.gridsync.emulator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * An Event Webhook receiver for tests: a JDK HTTP server on a free loopback port that records every
 * POST (headers and raw body bytes) and answers with the status the test chooses per request.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One POST as received. */
    public record Post(int number, Map<String, String> headers, byte[] body, int answeredWith) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The events of the batch. */
        public List<JsonNode> events() {
            List<JsonNode> out = new ArrayList<>();
            json().forEach(out::add);
            return out;
        }
    }

    private final HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();

    /** @param statusForPost the status to answer the n-th POST with (n counts from 1) */
    public WebhookReceiver(IntUnaryOperator statusForPost) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int n = count.incrementAndGet();
            int status = statusForPost.applyAsInt(n);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            posts.add(new Post(n, headers, body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static WebhookReceiver accepting() {
        return new WebhookReceiver(n -> 200);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sendgrid/events";
    }

    public List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Events of every POST answered 2xx, in arrival order. */
    public List<JsonNode> acceptedEvents() {
        List<JsonNode> out = new ArrayList<>();
        for (Post p : posts) {
            if (p.answeredWith() >= 200 && p.answeredWith() < 300) {
                out.addAll(p.events());
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
