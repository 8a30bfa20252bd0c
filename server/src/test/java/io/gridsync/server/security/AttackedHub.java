package io.gridsync.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * A running hub (SQLite in a temporary data directory), the emulator it may talk to, and a
 * listener on loopback that records what reaches it: the attacker's side of each security test.
 */
final class AttackedHub implements AutoCloseable {

    static final ObjectMapper M = new ObjectMapper();
    static final String SG_KEY = "SG.the-real-sendgrid-key-0123456789";

    final Path data;
    final Emulator emulator;
    final Hub hub;
    final HttpServer listener;
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile int listenerStatus = 200;
    volatile String listenerBody = "";
    private final HttpClient http = HttpClient.newHttpClient();

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return M.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body);
            }
        }
    }

    /** @param env settings over the defaults; the emulator's URL is always an allowed endpoint */
    AttackedHub(Path dir, Map<String, String> env) throws Exception {
        this(dir, env, false);
    }

    /** @param allowListener whether the listener's URL is an allowed endpoint too (the owner allowed it) */
    AttackedHub(Path dir, Map<String, String> env, boolean allowListener) throws Exception {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth=" + auth);
            exchange.getRequestBody().readAllBytes();
            byte[] b = listenerBody.getBytes();
            exchange.sendResponseHeaders(listenerStatus, b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                exchange.getResponseBody().write(b);
            }
            exchange.close();
        });
        listener.start();
        emulator = Emulator.start(new EmulatorConfig().port(0));
        data = dir.resolve("data");
        Map<String, String> all = new HashMap<>();
        all.put("GRIDSYNC_ALLOWED_ENDPOINTS", emulator.baseUrl() + (allowListener ? "," + listenerUrl() : ""));
        all.put("GRIDSYNC_FORWARD_RETRY", "0.05s");
        all.putAll(env);
        try {
            hub = Hub.start(HubConfig.defaults(data, 0).withEnvironment(all));
        } catch (RuntimeException e) {
            emulator.close();
            listener.stop(0);
            throw e;
        }
    }

    String listenerUrl() {
        return "http://127.0.0.1:" + listener.getAddress().getPort();
    }

    /** Installs the SendGrid integration against the emulator; returns its id. */
    String installSendGrid() throws Exception {
        Answer r = admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"SendGrid","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"%s","endpoint":"%s"}}""".formatted(SG_KEY, emulator.baseUrl()));
        if (r.status() != 201) {
            throw new AssertionError("install answered " + r.status() + ": " + r.body());
        }
        return r.json().path("id").asText();
    }

    Answer admin(String method, String path, String body) throws Exception {
        return call(method, path, body, hub.adminToken());
    }

    Answer call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    Answer post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** Every admin answer a curious attacker would read about audience {@code key}, joined. */
    String everythingAbout(String key) throws Exception {
        return admin("GET", "/v1/audiences/" + key, null).body() + admin("GET", "/v1/audiences/" + key + "/runs", null).body()
                + admin("GET", "/v1/audiences/" + key + "/syncs", null).body();
    }

    /** Creates a once sync from {@code source} (JSON) for audience {@code key}. */
    Answer cohortSync(String key, String source) throws Exception {
        return admin("POST", "/v1/audiences/" + key + "/syncs", "{\"source\": " + source + ", \"schedule\": \"once\"}");
    }

    /** Waits until the audience has a finished run (the scheduler ran the once sync). */
    void awaitRun(String key) throws Exception {
        awaitUntil(() -> {
            try {
                return admin("GET", "/v1/audiences/" + key + "/runs", null).json().path("runs").size() > 0;
            } catch (Exception e) {
                return false;
            }
        }, "a run of " + key);
    }

    static void awaitUntil(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    static String json(String s) {
        try {
            return M.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hub.close();
        emulator.close();
        listener.stop(0);
    }
}
