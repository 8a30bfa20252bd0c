package io.gridsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The emulator under contact load: {@code PUT /v3/marketing/contacts} with 30,000 contacts, time to
 * the 202 and to the processed import, and the heap that 1,000,000 contacts hold.
 * Run with {@code -Xmx1g} to show the million fits in 1 GiB.
 */
final class EmulatorContactsBench {

    private static final ObjectMapper M = new ObjectMapper();

    private EmulatorContactsBench() {}

    static void run(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int perRequest = 30_000;
        ObjectNode result = Results.start("emulator-contacts");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        EmulatorConfig config = new EmulatorConfig().port(0).importDelayMillis(0);
        try (Emulator emulator = Emulator.start(config)) {
            List<Long> acceptMs = new ArrayList<>();
            List<Long> processedMs = new ArrayList<>();
            long bodyBytes = 0;
            long startAll = System.nanoTime();
            for (int sent = 0; sent < total; sent += perRequest) {
                byte[] body = body(sent, Math.min(perRequest, total - sent));
                bodyBytes = Math.max(bodyBytes, body.length);
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/marketing/contacts"))
                        .header("Authorization", "Bearer SG.bench").header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                long t1 = System.nanoTime();
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("PUT answered " + r.statusCode() + ": " + r.body());
                }
                String job = M.readTree(r.body()).path("job_id").asText();
                while (true) {
                    JsonNode s = M.readTree(http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                                    + "/v3/marketing/contacts/imports/" + job)).header("Authorization", "Bearer SG.bench").build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    if (!"pending".equals(s.path("status").asText())) {
                        if (s.path("results").path("errored_count").asLong() > 0) {
                            throw new IllegalStateException("import errored: " + s);
                        }
                        break;
                    }
                    Thread.sleep(5);
                }
                acceptMs.add((t1 - t0) / 1_000_000);
                processedMs.add((System.nanoTime() - t0) / 1_000_000);
            }
            double seconds = (System.nanoTime() - startAll) / 1e9;
            JsonNode count = M.readTree(http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/marketing/contacts/count"))
                    .header("Authorization", "Bearer SG.bench").build(), HttpResponse.BodyHandlers.ofString()).body());
            result.put("contacts", count.path("contact_count").asLong());
            result.put("contacts_per_request", perRequest);
            result.put("request_body_bytes", bodyBytes);
            result.put("requests", acceptMs.size());
            result.put("accept_ms_p50", percentile(acceptMs, 50));
            result.put("accept_ms_max", Collections.max(acceptMs));
            result.put("processed_ms_p50", percentile(processedMs, 50));
            result.put("processed_ms_max", Collections.max(processedMs));
            result.put("contacts_per_second", Math.round(total / seconds));
            result.put("live_heap_mib_with_all_contacts", Results.liveHeapMib());
            result.put("peak_heap_mib", Results.peakHeapMib());
        }
        Results.write(result);
    }

    private static byte[] body(int from, int n) {
        StringBuilder sb = new StringBuilder(n * 120).append("{\"contacts\":[");
        for (int i = 0; i < n; i++) {
            int id = from + i;
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"email\":\"bench.user").append(id).append("@example.com\",\"first_name\":\"Bench\",\"last_name\":\"User ")
                    .append(id).append("\",\"city\":\"London\",\"external_id\":\"crm-").append(id).append("\"}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
