package io.gridsync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.EmulatorHttp;
import io.gridsync.server.testing.FileClock;
import io.gridsync.server.testing.HubCalls;
import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.gridsync.server.testing.StateQueries.count;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three hubs as child processes on one PostgreSQL, their clocks moved together by the test
 * ({@link FileClock}): a scheduled mirror run and a scheduled cohort sync run once with three
 * nodes up; the node running them is SIGKILLed, another takes them over, and their next runs
 * happen once, on it. Counted in the state database and in the requests SendGrid (the emulator) got.
 */
class ScheduledWorkTakeoverTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String ADMIN = "admin-takeover";
    private static final String SG_KEY = "SG.takeover";
    /** The mirror's run, once per run: it exports the contacts once. */
    private static final String MIRROR_CALL = "POST /v3/marketing/contacts/exports";
    /** The cohort sync's upsert of its members, once per run with changes. */
    private static final String COHORT_CALL = "PUT /v3/marketing/contacts";
    /**
     * How long the counts are watched after each run for a second one: by default past the audience
     * loop's turn (5 s); with -Pcluster past the mirror scheduler's tick (15 s) too, so every node
     * looked at both schedules at least once meanwhile.
     */
    private static final Duration WATCH = Duration.parse(System.getProperty("gridsync.cluster.watch", "PT6S"));

    @TempDir
    Path dir;
    private final List<HubProcess> nodes = new ArrayList<>();
    private PostgresDatabases pg;
    private Emulator emulator;
    private Database db;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() throws Exception {
        for (HubProcess n : nodes) {
            n.close();
        }
        if (db != null) {
            db.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void scheduledRunsHappenOnceAndAgainAfterTheirNodeIsKilled() throws Exception {
        long began = System.nanoTime();
        pg = new PostgresDatabases();
        String dbName = pg.create();
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        EmulatorHttp sendgrid = new EmulatorHttp(emulator, SG_KEY);
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        Path imports = Files.createDirectories(dir.resolve("imports"));
        Path clock = dir.resolve("clock");
        Map<String, String> env = new HashMap<>(HubCalls.LOCAL_ENDPOINTS);
        env.putAll(Map.of("GRIDSYNC_DATABASE_URL", pg.jdbcUrl(dbName), "GRIDSYNC_DATABASE_USER", "postgres",
                "GRIDSYNC_MASTER_KEY", Base64.getEncoder().encodeToString(master), "GRIDSYNC_ADMIN_TOKEN", ADMIN,
                "GRIDSYNC_IMPORT_DIR", imports.toString()));
        db = pg.open(dbName);

        // node 0 first: it asks for both schedules seconds before the others can, so the node killed later runs both
        HubProcess first = start(env, clock, 0);
        HubCalls.installSendGrid(first.baseUrl(), ADMIN, "SendGrid", SG_KEY, emulator.baseUrl());
        Files.writeString(imports.resolve("vips.csv"), "email\nada@takeover.example\ngrace@takeover.example\n");
        admin(first, "POST", "/v1/audiences/vips/syncs", "{\"source\": {\"csv\": \"vips.csv\"}, \"schedule\": \"hourly\"}");
        String firstId = selfId(first);
        List<HubProcess> others = List.of(node(env, clock, 1), node(env, clock, 2));
        List<java.util.concurrent.CompletableFuture<Void>> starting = new ArrayList<>();
        for (HubProcess n : others) {
            starting.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    n.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (var s : starting) {
            s.get();
        }

        // the mirror's first scheduled run falls due a minute after start; the hourly cohort sync ran at once
        FileClock.runAhead(clock, Duration.ofMinutes(2));
        awaitUntil(() -> scheduledMirrorRuns() == 1 && cohortRuns() == 1, "the first scheduled mirror run and cohort sync");
        awaitUntil(() -> runs(firstId).containsAll(List.of("mirror-schedule", "audiences")), "node 0 running both schedules");
        watch(1, "three nodes up");
        assertThat(calls(sendgrid, MIRROR_CALL)).as("contact exports with three nodes up").isEqualTo(1);
        assertThat(calls(sendgrid, COHORT_CALL)).as("cohort upserts with three nodes up").isEqualTo(1);
        assertThat(runs(selfId(nodes.get(1)))).doesNotContain("mirror-schedule", "audiences");
        assertThat(runs(selfId(nodes.get(2)))).doesNotContain("mirror-schedule", "audiences");

        // SIGKILL the node holding both; a third member makes the next cohort run visible at SendGrid too
        first.kill();
        long killedAt = System.nanoTime();
        Files.writeString(imports.resolve("vips.csv"), "email\nada@takeover.example\ngrace@takeover.example\nkatherine@takeover.example\n");
        FileClock.runAhead(clock, Duration.ofHours(4));
        awaitUntil(() -> scheduledMirrorRuns() == 2 && cohortRuns() == 2, "the next runs on another node");
        long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
        watch(2, "after the kill");
        assertThat(calls(sendgrid, MIRROR_CALL)).as("contact exports after the kill").isEqualTo(2);
        assertThat(calls(sendgrid, COHORT_CALL)).as("cohort upserts after the kill").isEqualTo(2);
        assertThat(sendgrid.get("/v3/marketing/contacts/count").path("contact_count").asLong()).isEqualTo(3);
        assertThat(count(db, "SELECT COUNT(*) FROM source_runs WHERE status <> 'succeeded'")).as("failed or interrupted mirror runs")
                .isZero();
        // a survivor holds them now, as its heartbeat says
        List<String> survivors = new ArrayList<>();
        for (HubProcess n : nodes.subList(1, 3)) {
            survivors.addAll(runs(selfId(n)));
        }
        assertThat(survivors).contains("mirror-schedule", "audiences");
        System.out.printf("scheduled work take-over: the next runs done %d ms after the SIGKILL (the clock moved 4 h); test took %d s%n",
                takeoverMillis, (System.nanoTime() - began) / 1_000_000_000);
    }

    private HubProcess start(Map<String, String> env, Path clock, int i) throws Exception {
        HubProcess n = node(env, clock, i);
        n.start();
        return n;
    }

    /** Node {@code i}, not started yet (stopped after the test). */
    private HubProcess node(Map<String, String> env, Path clock, int i) throws IOException {
        HubProcess n = HubProcess.clocked(dir.resolve("node" + i), freePort(), env, clock);
        nodes.add(n);
        return n;
    }

    /** Watches both counts stay at {@code n} for {@link #WATCH}: no node starts a second run of either. */
    private void watch(long n, String when) throws InterruptedException {
        long until = System.nanoTime() + WATCH.toNanos();
        while (System.nanoTime() < until) {
            assertThat(scheduledMirrorRuns()).as("scheduled mirror runs, " + when).isEqualTo(n);
            assertThat(cohortRuns()).as("scheduled cohort syncs, " + when).isEqualTo(n);
            Thread.sleep(250);
        }
    }

    private long scheduledMirrorRuns() {
        return count(db, "SELECT COUNT(*) FROM source_runs WHERE trigger_kind = 'schedule' AND status NOT IN ('queued', 'running')");
    }

    private long cohortRuns() {
        return count(db, "SELECT COUNT(*) FROM audience_runs WHERE finished_at IS NOT NULL");
    }

    private static long calls(EmulatorHttp sendgrid, String endpoint) {
        return sendgrid.get("/_emulator/stats").path("requests").path(endpoint).asLong();
    }

    /** What node {@code id} ran at its last heartbeat (every 5 s). */
    private List<String> runs(String id) {
        List<String> out = new ArrayList<>();
        db.query(c -> {
            try (var ps = c.prepareStatement("SELECT runs FROM nodes WHERE id = ?")) {
                ps.setString(1, id);
                try (var rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null && !rs.getString(1).isEmpty()) {
                        out.addAll(List.of(rs.getString(1).split(",")));
                    }
                }
            }
            return null;
        });
        return out;
    }

    private String selfId(HubProcess n) throws Exception {
        return admin(n, "GET", "/v1/admin/nodes", null).path("self").asText();
    }

    private JsonNode admin(HubProcess n, String method, String path, String json) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(method + " " + path + ": " + resp.body()).isLessThan(300);
        return resp.body().isBlank() ? M.createObjectNode() : M.readTree(resp.body());
    }

    private void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                for (HubProcess n : nodes) {
                    List<String> lines = Files.readAllLines(n.log().toPath());
                    System.out.println("---- " + n.log() + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                }
                throw new AssertionError("timed out waiting for " + what + " (scheduled mirror runs " + scheduledMirrorRuns()
                        + ", cohort syncs " + cohortRuns() + ")");
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
