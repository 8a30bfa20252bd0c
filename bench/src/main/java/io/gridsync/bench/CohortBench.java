package io.gridsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.server.audiences.AudienceAccount;
import io.gridsync.server.audiences.AudienceRuns;
import io.gridsync.server.audiences.AudienceStore;
import io.gridsync.server.audiences.CohortSourceSpec;
import io.gridsync.server.audiences.CohortSync;
import io.gridsync.server.store.Database;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;

/**
 * A cohort of N members (default 1,000,000) synced into a SendGrid list, then resynced with 1% of
 * it changed (0.4% new field values, 0.3% left, 0.3% joined): seconds, peak heap of this JVM and
 * SendGrid requests per endpoint for each. Run with {@code -Xmx256m}: the sync must fit. The
 * emulator holding a million contacts needs about 1 GiB of its own, so it runs beside this JVM as a
 * child process (the same jar), and the heap measured here is the sync's alone. State is SQLite.
 */
final class CohortBench {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String KEY = "SG.cohort-bench";

    private CohortBench() {}

    static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        ObjectNode result = Results.start("cohort");
        result.put("members", n);
        Path dir = Files.createTempDirectory("gridsync-cohort-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process emulator = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"), "io.gridsync.cli.Main",
                "emulator", "--port", Integer.toString(port), "--import-delay-ms", "0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("emulator.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        try {
            awaitUp(http, base);
            call(http, "POST", base + "/v3/marketing/field_definitions", "{\"name\":\"plan\",\"field_type\":\"Text\"}");

            Path first = write(dir.resolve("cohort-1.csv"), n, -1, -1, -1, -1, 0);
            Path second = write(dir.resolve("cohort-2.csv"), n, 0, n / 250, n / 2, n / 2 + (3 * n / 1000), 3 * n / 1000);
            result.put("csv_mib", Files.size(first) / (1024 * 1024));
            result.put("changes", n / 250 + 2 * (3 * n / 1000));

            try (Database db = Database.sqlite(dir.resolve("data"))) {
                CohortSync sync = new CohortSync(new AudienceStore(db), new AudienceRuns(db), dir.resolve("spool"), Clock.systemUTC(),
                        Duration.ofMinutes(30));
                result.set("first_sync", phase(sync, http, base, first, "first"));
                result.set("resync_1_percent", phase(sync, http, base, second, "resync"));
            }
            JsonNode lists = call(http, "GET", base + "/v3/marketing/lists", null).path("result");
            String listId = lists.get(0).path("id").asText();
            long inList = call(http, "GET", base + "/v3/marketing/lists/" + listId + "/contacts/count", null).path("contact_count").asLong();
            result.put("list_members_after", inList);
            result.put("list_members_expected", n - 3 * n / 1000 + 3 * n / 1000);

            JsonNode f = result.get("first_sync");
            JsonNode r = result.get("resync_1_percent");
            ObjectNode floors = result.putObject("floors");
            floors.put("first_sync_upserts_at_most_40", f.path("sendgrid_requests").path("PUT /v3/marketing/contacts").asLong() <= 40);
            floors.put("resync_upserts_at_most_5", r.path("sendgrid_requests").path("PUT /v3/marketing/contacts").asLong() <= 5);
            floors.put("heap_within_256_mib", Runtime.getRuntime().maxMemory() <= 256L * 1024 * 1024
                    && Math.max(f.path("peak_heap_mib").asLong(), r.path("peak_heap_mib").asLong()) <= 256);
            Results.write(result);
        } finally {
            emulator.destroy();
            emulator.waitFor();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ObjectNode phase(CohortSync sync, HttpClient http, String base, Path csv, String name) throws Exception {
        call(http, "DELETE", base + "/_emulator/stats", null);
        System.gc();
        resetPeaks();
        HeapSampler sampler = new HeapSampler();
        sampler.start();
        long t0 = System.nanoTime();
        ObjectNode report = sync.run(new CohortSync.Request("cli", "bench_cohort", CohortSourceSpec.csv(csv), "Bench cohort", Map.of(),
                false, false, "bench", null), new AudienceAccount(URI.create(base), new ApiKey(KEY), Duration.ofSeconds(60),
                Duration.ofMinutes(10)));
        long t1 = System.nanoTime();
        sampler.stop();
        if (report.has("error") || !"ok".equals(report.path("result").path("outcome").asText())) {
            throw new IllegalStateException(name + " failed: " + report);
        }
        ObjectNode o = M.createObjectNode();
        o.put("seconds", Math.round((t1 - t0) / 1e7) / 100.0);
        // heap in use sampled every 10 ms (what the run needed at once, garbage included), and the sum of
        // each heap pool's own peak (an upper bound: the pools peak at different moments)
        o.put("peak_heap_mib", sampler.maxMib());
        o.put("peak_heap_pool_sum_mib", peakHeapMib());
        for (String k : new String[]{"adds", "removes", "updates", "unchanged", "skipped"}) {
            o.put(k, report.path(k).asLong());
        }
        o.set("result", report.path("result").deepCopy());
        ((ObjectNode) o.get("result")).remove("requests");
        o.set("sendgrid_requests", call(http, "GET", base + "/_emulator/stats", null).path("requests"));
        System.out.println(name + ": " + o);
        return o;
    }

    /** CSV of n members; [changedFrom, changedTo) get a new last name, [droppedFrom, droppedTo) are left out, extra appended. */
    private static Path write(Path file, int n, int changedFrom, int changedTo, int droppedFrom, int droppedTo, int extra)
            throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("email,first_name,last_name,plan\n");
            for (int i = 0; i < n + extra; i++) {
                if (i >= droppedFrom && i < droppedTo) {
                    continue;
                }
                String last = i >= changedFrom && i < changedTo ? "Renamed" + i : "Member" + i;
                w.write("person" + i + "@example.com,Person," + last + "," + (i % 4 == 0 ? "pro" : "free") + "\n");
            }
        }
        return file;
    }

    /** Samples the heap in use on a daemon thread. */
    private static final class HeapSampler {
        private volatile boolean running = true;
        private volatile long max;
        private final Thread thread = new Thread(() -> {
            while (running) {
                max = Math.max(max, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long maxMib() {
            return max / (1024 * 1024);
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeapMib() {
        return Results.peakHeapMib();
    }

    private static void awaitUp(HttpClient http, String base) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                call(http, "GET", base + "/v3/scopes", null);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the emulator did not start: " + e.getMessage());
                }
                Thread.sleep(200);
            }
        }
    }

    private static JsonNode call(HttpClient http, String method, String url, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY);
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.body().isBlank() ? M.createObjectNode() : M.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
