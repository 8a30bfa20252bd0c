package io.gridsync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.integrations.NewIntegration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Delivery throughput of the hub to the emulator: N identifies for distinct people are collected
 * through /v1/batch, then timed from the first acknowledgement until every job is done, with the
 * SendGrid requests this took. SQLite state, in-process emulator (imports processed at once).
 */
final class DeliveryBench {

    private DeliveryBench() {}

    static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        ObjectNode result = Results.start("delivery");
        Path data = Files.createTempDirectory("gridsync-delivery-bench");
        try (Emulator emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(0))) {
            Hub hub = Hub.start(HubConfig.defaults(data, 0));
            try {
                hub.integrations().create(new NewIntegration("bench", "sendgrid", "server_side", emulator.baseUrl(),
                        new ApiKey("SG.bench-0123456789"), null, "marketing", false, null, true, null));
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String auth = "Basic " + Base64.getEncoder().encodeToString((hub.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
                ExecutorService clients = Executors.newFixedThreadPool(8);
                long t0 = System.nanoTime();
                List<Future<?>> sent = new ArrayList<>();
                for (int from = 0; from < n; from += 100) {
                    int start = from;
                    sent.add(clients.submit(() -> {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/batch"))
                                .header("Authorization", auth).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(batch(start, Math.min(100, n - start)))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("batch refused: " + r.statusCode() + " " + r.body());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : sent) {
                    f.get();
                }
                long accepted = System.nanoTime();
                clients.shutdown();
                while (pendingOrUnrouted(hub, n)) {
                    Thread.sleep(50);
                }
                long delivered = System.nanoTime();
                result.put("events", n);
                result.put("collect_seconds", round((accepted - t0) / 1e9));
                result.put("collect_to_delivered_seconds", round((delivered - t0) / 1e9));
                result.put("delivered_events_per_second", Math.round(n / ((delivered - t0) / 1e9)));
                result.put("contacts_in_sendgrid", count(emulator));
                result.put("contact_upserts", emulator.stats().get("PUT", "/v3/marketing/contacts"));
                result.put("minimum_contact_upserts", (n + 29_999) / 30_000);
                result.put("import_status_polls", emulator.stats().get("GET", "/v3/marketing/contacts/imports/{id}"));
                result.put("peak_heap_mib", Results.peakHeapMib());
            } finally {
                hub.close();
            }
        }
        Results.write(result);
    }

    /** True while some message has no done job yet (not routed, or pending). */
    private static boolean pendingOrUnrouted(Hub hub, int n) {
        return hub.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM jobs WHERE state = 'done'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) < n;
            }
        });
    }

    private static long count(Emulator emulator) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                + "/v3/marketing/contacts/count")).header("Authorization", "Bearer SG.bench-0123456789").build(),
                HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("contact_count").asLong();
    }

    private static String batch(int from, int size) {
        StringBuilder sb = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < size; i++) {
            int id = from + i;
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"type\":\"identify\",\"messageId\":\"d-").append(id).append("\",\"userId\":\"u").append(id)
                    .append("\",\"traits\":{\"email\":\"user").append(id).append("@bench.example\",\"first_name\":\"User\",\"last_name\":\"")
                    .append(id).append("\"}}");
        }
        return sb.append("]}").toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
