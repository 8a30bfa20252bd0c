package io.gridsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.server.source.BegunRun;
import io.gridsync.server.source.Source;
import io.gridsync.server.source.SourceRun;
import io.gridsync.server.source.SourceRuns;
import io.gridsync.server.source.SourceSync;
import io.gridsync.server.store.Database;
import io.gridsync.server.warehouse.Warehouse;

import java.io.File;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The mirror at scale: N contacts (default 1,000,000) with names, a city, two custom fields and
 * list memberships, pulled through the export API (gzip JSON files of 100,000 rows) and upserted
 * into the SQLite warehouse; seconds and peak heap of this process, for the first run (empty
 * tables) and a second one (every row already there). Run with {@code -Xmx512m}: the floor is
 * the mirror within 512 MiB of heap.
 *
 * <p>The emulator runs in a child JVM with its own heap (a million contacts take about 600 MiB of
 * it, see emulator-contacts), so this process's heap is the mirror's alone, as in production,
 * where the contacts are in SendGrid. Both ends still talk HTTP on loopback, as they do in-process.
 */
final class MirrorBench {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String KEY = "SG.mirror-bench-0123456789";

    private MirrorBench() {}

    static void run(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String emulatorHeap = args.length > 1 ? args[1] : "1536m";
        ObjectNode result = Results.start("mirror");
        Path dir = Files.createTempDirectory("gridsync-mirror-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process emulator = new ProcessBuilder(javaBin, "-Xmx" + emulatorHeap, "-cp", System.getProperty("java.class.path"),
                "io.gridsync.cli.Main", "emulator", "--port", String.valueOf(port), "--import-delay-ms", "0",
                "--export-rows-per-file", "100000")
                .redirectErrorStream(true).redirectOutput(dir.resolve("emulator.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            awaitUp(http, base);
            long t0 = System.nanoTime();
            seed(http, base, total);
            result.put("contacts", total);
            result.put("seed_seconds", round((System.nanoTime() - t0) / 1e9));
            result.put("emulator", "child JVM, -Xmx" + emulatorHeap + ", export files of 100,000 contacts (gzip JSON)");

            try (Database db = Database.sqlite(dir.resolve("state"));
                 Warehouse warehouse = Warehouse.sqlite(dir.resolve("warehouse"))) {
                SourceRuns runs = new SourceRuns(db);
                Source source = new Source("sendgrid", "sendgrid", base, new ApiKey(KEY), Duration.ZERO, true, "bench");
                try (SourceSync sync = new SourceSync(warehouse, runs, Clock.systemUTC(), Duration.ofSeconds(60))) {
                    for (String pass : List.of("first_run", "second_run")) {
                        Results.liveHeapMib(); // leave the seeding's garbage behind
                        resetPeaks();
                        long start = System.nanoTime();
                        BegunRun begun = runs.begin("sendgrid", "cli", Clock.systemUTC().instant());
                        SourceRun run = sync.run(source, begun.run().id());
                        double seconds = (System.nanoTime() - start) / 1e9;
                        if (run.rows().getOrDefault("recipients", 0L) != total) {
                            throw new IllegalStateException("the mirror ended " + run.status() + " with " + run.rows() + ": " + run.error());
                        }
                        ObjectNode p = result.putObject(pass);
                        p.put("status", run.status().name().toLowerCase());
                        p.put("seconds", round(seconds));
                        p.put("contacts_per_second", Math.round(total / seconds));
                        p.put("peak_heap_mib", Results.peakHeapMib());
                        p.set("rows", M.valueToTree(run.rows()));
                    }
                }
                result.put("warehouse_file_mib", Files.size(dir.resolve("warehouse/sendgrid.db")) / (1024 * 1024));
            }
            result.put("floor_heap_mib", 512);
            result.put("within_floor", result.path("first_run").path("peak_heap_mib").asLong() <= 512
                    && result.path("second_run").path("peak_heap_mib").asLong() <= 512
                    && Runtime.getRuntime().maxMemory() <= 512L * 1024 * 1024);
        } finally {
            emulator.destroy();
            emulator.waitFor();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Results.write(result);
    }

    private static void awaitUp(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/v3/scopes")).header("Authorization", "Bearer " + KEY).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the emulator did not start in a minute");
    }

    /** Two custom fields, five lists, and the contacts in PUTs of 30,000, each awaited. */
    private static void seed(HttpClient http, String base, int total) throws Exception {
        String plan = call(http, base, "POST", "/v3/marketing/field_definitions", "{\"name\":\"plan\",\"field_type\":\"Text\"}")
                .path("id").asText();
        String score = call(http, base, "POST", "/v3/marketing/field_definitions", "{\"name\":\"score\",\"field_type\":\"Number\"}")
                .path("id").asText();
        List<String> lists = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lists.add(call(http, base, "POST", "/v3/marketing/lists", "{\"name\":\"list " + i + "\"}").path("id").asText());
        }
        for (int from = 0; from < total; from += 30_000) {
            int n = Math.min(30_000, total - from);
            StringBuilder sb = new StringBuilder(n * 200).append("{\"list_ids\":[\"").append(lists.get((from / 30_000) % 5))
                    .append("\"],\"contacts\":[");
            for (int i = 0; i < n; i++) {
                int id = from + i;
                sb.append(i == 0 ? "" : ",").append("{\"email\":\"mirror.user").append(id).append("@example.com\",\"first_name\":\"Mirror\",")
                        .append("\"last_name\":\"User ").append(id).append("\",\"city\":\"London\",\"external_id\":\"crm-").append(id)
                        .append("\",\"custom_fields\":{\"").append(plan).append("\":\"").append(id % 3 == 0 ? "pro" : "free")
                        .append("\",\"").append(score).append("\":").append(id % 1000).append("}}");
            }
            String job = call(http, base, "PUT", "/v3/marketing/contacts", sb.append("]}").toString()).path("job_id").asText();
            while (true) {
                JsonNode s = call(http, base, "GET", "/v3/marketing/contacts/imports/" + job, null);
                if (!"pending".equals(s.path("status").asText())) {
                    if (!"completed".equals(s.path("status").asText())) {
                        throw new IllegalStateException("seeding import ended " + s);
                    }
                    break;
                }
                Thread.sleep(5);
            }
        }
    }

    private static JsonNode call(HttpClient http, String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + KEY);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? M.createObjectNode() : M.readTree(r.body());
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
