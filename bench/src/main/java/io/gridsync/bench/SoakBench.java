package io.gridsync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded state under steady traffic: a hub on SQLite collects identifies at a steady rate (batches
 * of 100 to /v1/batch, 10,000 people over and over) and delivers them to the in-process emulator,
 * with a short retention, for several minutes; every few seconds the state file and WAL sizes and the
 * rows per table are sampled, with the latency of the batches posted since the last sample (a retention pass
 * must not hold collection up). With retention the state levels off after about one retention period.
 * {@code soak [seconds=300] [events/s=300] [retention seconds=30] [sample seconds=10]};
 * writes bench/results/soak-sqlite.json.
 */
final class SoakBench {

    private static final int PEOPLE = 10_000;
    private static final String SG_KEY = "SG.soak-0123456789";

    private SoakBench() {}

    static void run(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int retention = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int sampleEvery = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        ObjectNode result = Results.start("soak-sqlite");
        result.put("seconds", seconds);
        result.put("events_per_second", rate);
        result.put("retention_seconds", retention);
        Path data = Files.createTempDirectory("gridsync-soak-bench");
        Path file = data.resolve("gridsync.db");
        try (Emulator emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(0))) {
            // the de-duplication window shortened too: messageIds are kept for it (the journal purges them once a minute)
            Hub hub = Hub.start(HubConfig.defaults(data, 0).withEnvironment(Map.of(
                    "GRIDSYNC_JOURNAL_RETENTION", retention + "s", "GRIDSYNC_HISTORY_RETENTION", retention + "s",
                    "GRIDSYNC_DEDUPE_WINDOW", retention + "s")));
            ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
            try {
                hub.integrations().create(new NewIntegration("soak", "sendgrid", "server_side", emulator.baseUrl(),
                        new ApiKey(SG_KEY), null, "marketing", false, null, true, null));
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String auth = "Basic " + Base64.getEncoder().encodeToString((hub.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
                AtomicLong collected = new AtomicLong();
                AtomicLong refused = new AtomicLong();
                // request latencies of the current sample window, in microseconds: does a retention pass hold collection up?
                List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
                long periodMicros = 100_000_000L / rate; // one batch of 100 per period
                sender.scheduleAtFixedRate(() -> {
                    long from = collected.get();
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/batch"))
                                .header("Authorization", auth).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(batch(from))).build(), HttpResponse.BodyHandlers.ofString());
                        latencies.add((System.nanoTime() - sent) / 1_000);
                        if (r.statusCode() == 200) {
                            collected.addAndGet(100);
                        } else {
                            refused.addAndGet(100);
                        }
                    } catch (Exception e) {
                        refused.addAndGet(100);
                    }
                }, 0, periodMicros, TimeUnit.MICROSECONDS);

                ArrayNode samples = result.putArray("samples");
                long t0 = System.nanoTime();
                System.out.printf("%6s %10s %12s %12s %9s %9s %9s %11s %8s %8s %8s%n", "t_s", "collected", "file_bytes", "wal_bytes",
                        "messages", "jobs", "attempts", "message_ids", "pending", "p99_ms", "max_ms");
                for (int t = sampleEvery; t <= seconds; t += sampleEvery) {
                    long wake = t0 + t * 1_000_000_000L;
                    long sleep = (wake - System.nanoTime()) / 1_000_000;
                    if (sleep > 0) {
                        Thread.sleep(sleep);
                    }
                    ObjectNode s = samples.addObject();
                    s.put("t_s", t);
                    s.put("collected", collected.get());
                    s.put("file_bytes", size(file));
                    s.put("wal_bytes", size(Path.of(file + "-wal")));
                    s.put("state_bytes", size(file) + size(Path.of(file + "-wal")));
                    s.put("messages", count(hub, "SELECT COUNT(*) FROM messages"));
                    s.put("jobs", count(hub, "SELECT COUNT(*) FROM jobs"));
                    s.put("attempts", count(hub, "SELECT COUNT(*) FROM attempts"));
                    s.put("message_ids", count(hub, "SELECT COUNT(*) FROM message_ids"));
                    s.put("pending_jobs", count(hub, "SELECT COUNT(*) FROM jobs WHERE state = 'pending'"));
                    List<Long> window;
                    synchronized (latencies) {
                        window = new ArrayList<>(latencies);
                        latencies.clear();
                    }
                    window.sort(null);
                    s.put("batch_p99_ms", window.isEmpty() ? 0 : window.get((int) (window.size() * 0.99)) / 1000.0);
                    s.put("batch_max_ms", window.isEmpty() ? 0 : window.get(window.size() - 1) / 1000.0);
                    System.out.printf("%6d %10d %12d %12d %9d %9d %9d %11d %8d %8.1f %8.1f%n", t, s.get("collected").asLong(),
                            s.get("file_bytes").asLong(), s.get("wal_bytes").asLong(), s.get("messages").asLong(), s.get("jobs").asLong(),
                            s.get("attempts").asLong(), s.get("message_ids").asLong(), s.get("pending_jobs").asLong(),
                            s.get("batch_p99_ms").asDouble(), s.get("batch_max_ms").asDouble());
                }
                sender.shutdown();
                sender.awaitTermination(30, TimeUnit.SECONDS);
                result.put("collected", collected.get());
                result.put("refused", refused.get());
                result.put("contact_upserts", emulator.stats().get("PUT", "/v3/marketing/contacts"));
                summarize(result, samples);
            } finally {
                sender.shutdownNow();
                hub.close();
            }
        }
        Results.write(result);
    }

    /** Largest state in the middle and the last third of the run: with a plateau, the last is no larger. */
    private static void summarize(ObjectNode result, ArrayNode samples) {
        int n = samples.size();
        List<ObjectNode> middle = new ArrayList<>();
        List<ObjectNode> last = new ArrayList<>();
        for (int i = n / 3; i < n; i++) {
            (i < 2 * n / 3 ? middle : last).add((ObjectNode) samples.get(i));
        }
        for (String field : List.of("state_bytes", "file_bytes", "messages", "attempts")) {
            long m = middle.stream().mapToLong(s -> s.get(field).asLong()).max().orElse(0);
            long l = last.stream().mapToLong(s -> s.get(field).asLong()).max().orElse(0);
            result.put("max_" + field + "_middle_third", m);
            result.put("max_" + field + "_last_third", l);
        }
        long m = result.get("max_state_bytes_middle_third").asLong();
        long l = result.get("max_state_bytes_last_third").asLong();
        result.put("plateau", l <= m * 1.1);
        System.out.printf("state (file + WAL): largest %d bytes in the middle third, %d in the last third: %s%n", m, l,
                l <= m * 1.1 ? "levelled off" : "STILL GROWING");
    }

    private static long count(Hub hub, String sql) {
        return hub.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** 100 identifies, messageIds from {@code from}, people cycling over {@link #PEOPLE}. */
    private static String batch(long from) {
        StringBuilder sb = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 100; i++) {
            long id = from + i;
            long person = id % PEOPLE;
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"type\":\"identify\",\"messageId\":\"s-").append(id).append("\",\"userId\":\"u").append(person)
                    .append("\",\"traits\":{\"email\":\"user").append(person).append("@soak.example\",\"first_name\":\"User\",")
                    .append("\"last_name\":\"").append(id).append("\"}}");
        }
        return sb.append("]}").toString();
    }
}
