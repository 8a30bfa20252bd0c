package io.gridsync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.collect.CollectSettings;
import io.gridsync.server.collect.TrackingApi;
import io.gridsync.server.collect.WriteKeys;
import io.gridsync.server.journal.Journal;
import io.gridsync.server.store.Database;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collection path under load: a Journal + TrackingApi on a Javalin (port 0), 8 concurrent
 * clients posting {@code /v1/batch} with 100 events each for N seconds; accepted events/s and
 * request latency, next to the same clients against {@code POST /v1/noop} on the same server
 * (reads the body, answers 200) to show what HTTP alone costs on this machine. Then what
 * analytics.js sends, with {@code Content-Type: text/plain}: its batches to {@code /v1/b} and its
 * single calls to {@code /v1/t}, beside the same single calls to {@code /v1/track} as JSON.
 * {@code collect [seconds] [sqlite|postgresql|all]}; writes bench/results/collect-DB.json.
 * {@code collect [seconds] nodes}: 1, 2 and 3 whole hubs (a cluster, docs/cluster.md) on one embedded
 * PostgreSQL, the clients spread over them; writes bench/results/collect-nodes.json with each
 * aggregate rate and its ratio to one node's.
 */
final class CollectBench {

    private static final int CLIENTS = 8;
    private static final int EVENTS_PER_BATCH = 100;

    private CollectBench() {}

    static void run(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String which = args.length > 1 ? args[1] : "all";
        if (which.equals("sqlite") || which.equals("all")) {
            Path dir = Files.createTempDirectory("gridsync-collect-bench");
            try (Database db = Database.sqlite(dir)) {
                measure("collect-sqlite", db, seconds);
            }
        }
        if (which.equals("nodes")) {
            measureNodes(seconds);
            return;
        }
        if (which.equals("postgresql") || which.equals("all")) {
            try (EmbeddedPostgres pg = DurablePostgres.start();
                 Database db = Database.open(pg.getJdbcUrl("postgres", "postgres"), "postgres", null)) {
                measure("collect-postgresql", db, seconds);
            }
        }
    }

    private static void measure(String name, Database db, int seconds) throws Exception {
        ObjectNode result = Results.start(name);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Journal journal = new Journal(db, Duration.ofHours(24))) {
            WriteKeys keys = new WriteKeys(db);
            String key = keys.create("bench");
            Javalin app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
            // rate limits on (their cost is measured) but too high to refuse anything; no proxy
            new TrackingApi(journal, keys, registry, m -> false, CollectSettings.defaults().withRateLimits(1e9, 1e9),
                    java.time.Clock.systemUTC()).register(app);
            app.post("/v1/noop", ctx -> {
                ctx.bodyAsBytes();
                ctx.contentType("application/json").result("{\"success\":true}");
            });
            app.start("127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + app.port();
                String auth = "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
                warmUp(List.of(base + "/v1/batch"), auth, JSON, CollectBench::batchBody, EVENTS_PER_BATCH, "batch");
                warmUp(List.of(base + "/v1/noop"), auth, JSON, CollectBench::batchBody, EVENTS_PER_BATCH, "noop");
                Phase noop = run(base + "/v1/noop", auth, JSON, CollectBench::batchBody, EVENTS_PER_BATCH, seconds, "noop");
                Phase batch = run(base + "/v1/batch", auth, JSON, CollectBench::batchBody, EVENTS_PER_BATCH, seconds, "batch");
                warmUp(List.of(base + "/v1/b"), auth, TEXT, (id, seq) -> browserBatch(key, id, seq), EVENTS_PER_BATCH, "/v1/b");
                warmUp(List.of(base + "/v1/t"), auth, TEXT, (id, seq) -> browserTrack(key, id, seq), 1, "/v1/t");
                // analytics.js: the key in the body (and Basic auth), text/plain
                Phase b = run(base + "/v1/b", auth, TEXT, (id, seq) -> browserBatch(key, id, seq), EVENTS_PER_BATCH, seconds, "short /v1/b");
                Phase t = run(base + "/v1/t", auth, TEXT, (id, seq) -> browserTrack(key, id, seq), 1, seconds, "short /v1/t");
                warmUp(List.of(base + "/v1/track"), auth, JSON, (id, seq) -> browserTrack(key, id, seq), 1, "/v1/track");
                Phase track = run(base + "/v1/track", auth, JSON, (id, seq) -> browserTrack(key, id, seq), 1, seconds, "long /v1/track");
                phase(result, "short_b", b);
                phase(result, "short_t", t);
                phase(result, "long_track", track);

                result.put("database", db.dialect().name().toLowerCase());
                result.put("clients", CLIENTS);
                result.put("events_per_batch", EVENTS_PER_BATCH);
                result.put("batch_body_bytes", batch.bodyBytes);
                result.put("seconds", seconds);
                result.put("accepted_events_per_second", Math.round(batch.events / batch.seconds));
                result.put("batches_per_second", Math.round(batch.requests / batch.seconds));
                result.put("batch_latency_ms_p50", batch.percentileMs(50));
                result.put("batch_latency_ms_p99", batch.percentileMs(99));
                result.put("batch_errors", batch.errors);
                result.put("batch_cpu_cores_used", Math.round(batch.cpuCores * 100) / 100.0);
                result.put("batch_journal_writer_cpu_cores", Math.round(batch.writerCores * 100) / 100.0);
                result.put("batch_jit_compiling_share", Math.round(batch.compilingShare * 1000) / 1000.0);
                result.put("batch_other_processes_cpu_cores", Math.round(batch.otherCores * 100) / 100.0);
                result.put("noop_events_per_second", Math.round(noop.events / noop.seconds));
                result.put("noop_latency_ms_p50", noop.percentileMs(50));
                result.put("noop_latency_ms_p99", noop.percentileMs(99));
                result.put("journal_rows", count(db, "messages"));
                for (var v : registry.get("gridsync.collect.append.latency").timer().takeSnapshot().percentileValues()) {
                    // from Journal.append to its commit, as the API sees it (whole run, warm-up included)
                    result.put("append_to_commit_ms_p" + Math.round(v.percentile() * 100),
                            Math.round(v.value(java.util.concurrent.TimeUnit.MICROSECONDS)) / 1000.0);
                }
                result.put("floor_events_per_second", 50_000);
            } finally {
                app.stop();
            }
        }
        Results.write(result);
    }

    /** The same batches against 1, 2 and 3 hubs sharing one PostgreSQL, each hub a whole node (routing too). */
    private static void measureNodes(int seconds) throws Exception {
        ObjectNode result = Results.start("collect-nodes");
        String writeKey = "gs_wk_bench_nodes_0123456789abcdef";
        String masterKey = Base64.getEncoder().encodeToString(new byte[32]);
        try (EmbeddedPostgres pg = DurablePostgres.start()) {
            String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
            double one = 0;
            for (int n = 1; n <= 3; n++) {
                List<io.gridsync.server.Hub> hubs = new ArrayList<>();
                try {
                    for (int i = 0; i < n; i++) {
                        hubs.add(io.gridsync.server.Hub.start(io.gridsync.server.HubConfig.defaults(
                                Files.createTempDirectory("gridsync-node-" + n + "-" + i), 0).withEnvironment(java.util.Map.of(
                                "GRIDSYNC_DATABASE_URL", pg.getJdbcUrl("postgres", "postgres"), "GRIDSYNC_DATABASE_USER", "postgres",
                                "GRIDSYNC_WRITE_KEY", writeKey, "GRIDSYNC_MASTER_KEY", masterKey,
                                "GRIDSYNC_RATE_LIMIT_WRITE_KEY", "0", "GRIDSYNC_RATE_LIMIT_CLIENT", "0"))));
                    }
                    List<String> urls = hubs.stream().map(h -> h.baseUrl() + "/v1/batch").toList();
                    warmUp(urls, auth, JSON, CollectBench::batchBody, EVENTS_PER_BATCH, n + " nodes");
                    Phase p = run(urls, auth, JSON, CollectBench::batchBody, EVENTS_PER_BATCH, seconds, n + " nodes");
                    double rate = p.events / p.seconds;
                    one = n == 1 ? rate : one;
                    result.put("nodes_" + n + "_events_per_second", Math.round(rate));
                    result.put("nodes_" + n + "_ratio_to_one", Math.round(rate / one * 100) / 100.0);
                    result.put("nodes_" + n + "_errors", p.errors);
                    result.put("nodes_" + n + "_other_processes_cpu_cores", Math.round(p.otherCores * 100) / 100.0);
                } finally {
                    hubs.forEach(io.gridsync.server.Hub::close);
                }
            }
        }
        result.put("clients", CLIENTS);
        result.put("events_per_batch", EVENTS_PER_BATCH);
        result.put("seconds", seconds);
        result.put("note", "all nodes and the database share this machine's cores: the ratio shows what a node costs, not how a cluster scales across machines");
        Results.write(result);
    }

    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain";

    /** A body for a client's run id and the seq of its first event. */
    private interface Body {
        byte[] make(String runId, long firstSeq);
    }

    private static void phase(ObjectNode result, String name, Phase p) {
        result.put(name + "_events_per_second", Math.round(p.events / p.seconds));
        result.put(name + "_requests_per_second", Math.round(p.requests / p.seconds));
        result.put(name + "_latency_ms_p50", p.percentileMs(50));
        result.put(name + "_latency_ms_p99", p.percentileMs(99));
        result.put(name + "_body_bytes", p.bodyBytes);
        result.put(name + "_errors", p.errors);
        result.put(name + "_cpu_cores_used", Math.round(p.cpuCores * 100) / 100.0);
        result.put(name + "_other_processes_cpu_cores", Math.round(p.otherCores * 100) / 100.0);
    }

    /**
     * Posts in rounds of 2 s until a round spent under 5% of its time in the JIT compiler (at most
     * 20 rounds). On 2 cores the compiler otherwise takes half a core or more well into a measured
     * phase (seen: 0.76 cores through the batch phase after a fixed 3 s warm-up), so the numbers
     * would be those of a hub just started rather than one that has run for a while.
     */
    private static void warmUp(List<String> urls, String auth, String contentType, Body bodies, int eventsPerBody, String label)
            throws InterruptedException {
        for (int round = 1; round <= 20; round++) {
            Phase p = run(urls, auth, contentType, bodies, eventsPerBody, 2, label + " warm-up " + round);
            if (p.compilingShare < 0.05) {
                return;
            }
        }
    }

    /** One phase: CLIENTS threads posting bodies of {@code events} events back to back for {@code seconds}. */
    private static Phase run(String url, String auth, String contentType, Body bodies, int eventsPerBody, int seconds, String label)
            throws InterruptedException {
        return run(List.of(url), auth, contentType, bodies, eventsPerBody, seconds, label);
    }

    /** The same, client i posting to {@code urls[i % urls.size()]}. */
    private static Phase run(List<String> urls, String auth, String contentType, Body bodies, int eventsPerBody, int seconds,
                             String label) throws InterruptedException {
        long cpu0 = processCpuNanos();
        long[] machine0 = machineCpuTicks();
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long compiled0 = jit.getTotalCompilationTime();
        long writerCpu0 = threadCpuNanos("gridsync-journal-writer");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong events = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong bodyBytes = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        int[] recorded = new int[CLIENTS];
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            String url = urls.get(c % urls.size());
            long[] mine = new long[400_000];
            latencies.add(mine);
            Thread t = new Thread(() -> {
                int n = 0;
                long seq = 0;
                String runId = label + "-" + client + "-" + System.nanoTime();
                while (System.nanoTime() < deadline) {
                    byte[] body = bodies.make(runId, seq);
                    seq += eventsPerBody;
                    bodyBytes.set(body.length);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", auth).header("Content-Type", contentType)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                        long took = System.nanoTime() - t0;
                        if (r.statusCode() == 200) {
                            events.addAndGet(eventsPerBody);
                            requests.incrementAndGet();
                            if (n < mine.length) {
                                mine[n++] = took;
                            }
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                recorded[client] = n;
            }, "bench-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        double cores = (processCpuNanos() - cpu0) / 1e9 / took;
        double compiling = (jit.getTotalCompilationTime() - compiled0) / 1000.0 / took;
        double writerCores = (threadCpuNanos("gridsync-journal-writer") - writerCpu0) / 1e9 / took;
        long[] machine1 = machineCpuTicks();
        // the machine is shared: what else ran during the phase says how much to trust it
        double machineBusy = machine1[1] == machine0[1] ? Double.NaN
                : (double) (machine1[0] - machine0[0]) / (machine1[1] - machine0[1]) * Runtime.getRuntime().availableProcessors();
        long[] all = java.util.stream.IntStream.range(0, CLIENTS)
                .mapToObj(c -> Arrays.stream(latencies.get(c), 0, recorded[c])).flatMapToLong(x -> x).sorted().toArray();
        Phase p = new Phase(events.get(), requests.get(), errors.get(), took, all, bodyBytes.get(), cores, writerCores,
                machineBusy - cores, compiling);
        System.err.printf("%s: %d events in %.1f s = %.0f events/s, p50 %.1f ms, p99 %.1f ms, %d errors, CPU %.2f cores"
                        + " (journal writer %.2f, other processes %.2f, JIT compiling %.0f%%)%n", label, p.events, p.seconds,
                p.events / p.seconds, p.percentileMs(50), p.percentileMs(99), p.errors, cores, writerCores, p.otherCores,
                compiling * 100);
        return p;
    }

    /** A realistic analytics-node style batch: track events with properties and context, unique messageIds. */
    static byte[] batchBody(String runId, long firstSeq) {
        StringBuilder b = new StringBuilder(EVENTS_PER_BATCH * 420 + 100);
        b.append("{\"batch\":[");
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            long seq = firstSeq + i;
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-").append(seq % 5000)
                    .append("\",\"messageId\":\"").append(runId).append('-').append(seq)
                    .append("\",\"timestamp\":\"2024-05-01T10:00:00.000Z\",\"properties\":{\"order_id\":\"o-").append(seq)
                    .append("\",\"total\":42.5,\"currency\":\"USD\",\"products\":[{\"sku\":\"sku-1\",\"price\":21.25,\"quantity\":2}]}")
                    .append(",\"context\":{\"ip\":\"203.0.113.7\",\"library\":{\"name\":\"analytics-node\",\"version\":\"6.0.0\"},")
                    .append("\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\"}}");
        }
        b.append("],\"sentAt\":\"2024-05-01T10:00:00.100Z\"}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One call as analytics.js sends it: writeKey, page context, _metadata, timestamp and sentAt in the message. */
    static byte[] browserTrack(String key, String runId, long seq) {
        return browserEvent(new StringBuilder(900), key, runId, seq, true).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** analytics.js's batching strategy: its events (sentAt moved to the batch), writeKey at both levels. */
    static byte[] browserBatch(String key, String runId, long firstSeq) {
        StringBuilder b = new StringBuilder(EVENTS_PER_BATCH * 900 + 200).append("{\"batch\":[");
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            if (i > 0) {
                b.append(',');
            }
            browserEvent(b, key, runId, firstSeq + i, false);
        }
        return b.append("],\"writeKey\":\"").append(key).append("\",\"sentAt\":\"2024-05-01T10:00:00.100Z\"}")
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder browserEvent(StringBuilder b, String key, String runId, long seq, boolean sentAt) {
        b.append("{\"timestamp\":\"2024-05-01T10:00:00.000Z\",\"integrations\":{},\"type\":\"track\",\"event\":\"Product Viewed\",")
                .append("\"properties\":{\"product_id\":\"sku-").append(seq % 500).append("\",\"price\":21.25},")
                .append("\"context\":{\"page\":{\"path\":\"/shoes\",\"referrer\":\"\",\"search\":\"\",\"title\":\"Shoes\",")
                .append("\"url\":\"https://shop.example/shoes\"},\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0\",")
                .append("\"userAgentData\":{\"brands\":[{\"brand\":\"Chromium\",\"version\":\"120\"}],\"mobile\":false,\"platform\":\"Linux\"},")
                .append("\"locale\":\"en-US\",\"library\":{\"name\":\"analytics.js\",\"version\":\"next-1.84.3\"},\"timezone\":\"Europe/London\"},")
                .append("\"messageId\":\"ajs-next-").append(runId).append('-').append(seq).append("\",")
                .append("\"anonymousId\":\"anon-").append(seq % 5000).append("\",\"userId\":\"user-").append(seq % 5000).append("\",")
                .append("\"writeKey\":\"").append(key).append("\",");
        if (sentAt) {
            b.append("\"sentAt\":\"2024-05-01T10:00:00.050Z\",");
        }
        return b.append("\"_metadata\":{\"bundled\":[\"Segment.io\"],\"unbundled\":[],\"bundledIds\":[]}}");
    }

    private static long count(Database db, String table) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** CPU time of this whole process (server and clients), from the OS. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Busy and total CPU ticks of the whole machine from /proc/stat; zeros where there is none. */
    private static long[] machineCpuTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            // idle, iowait and steal (the hypervisor's share) are not work done on this machine
            long notBusy = Long.parseLong(f[4]) + Long.parseLong(f[5]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
            return new long[]{total - notBusy, total};
        } catch (Exception e) {
            return new long[]{0, 0};
        }
    }

    private static long threadCpuNanos(String name) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0; // every thread of that name (the journal's second writer on PostgreSQL is name-2)
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name) || t.getName().startsWith(name + "-")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    private record Phase(long events, long requests, long errors, double seconds, long[] sortedNanos, long bodyBytes,
                         double cpuCores, double writerCores, double otherCores, double compilingShare) {
        double percentileMs(int p) {
            if (sortedNanos.length == 0) {
                return 0;
            }
            int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100.0 * sortedNanos.length) - 1);
            return Math.round(sortedNanos[Math.max(0, i)] / 1e4) / 100.0;
        }
    }
}
