package io.gridsync.server.router;

import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.HubCalls;
import io.gridsync.server.testing.PostgresDatabases;
import io.gridsync.server.testing.StateQueries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A router whose pending jobs cannot be claimed yet (leased by a node whose batch is in flight, or
 * waiting behind a person's earlier job) waits for them instead of turning again at once; the
 * waits are measured in the hub's own events (lease renewals, retry attempts), not in wall-clock
 * thresholds, and delivery still follows as soon as the jobs can be claimed.
 */
class IdleRouterTest {

    private static final String ADMIN = "admin-idle-router";
    private static final String WRITE_KEY = "gs_wk_idle_router";
    private static final String SG_KEY = "SG.idle-router";
    private static PostgresDatabases pg;

    @TempDir
    Path dir;
    private final List<Hub> hubs = new ArrayList<>();
    private Emulator emulator;
    private Database db;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void postgres() {
        pg = new PostgresDatabases();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @AfterEach
    void stop() {
        hubs.forEach(Hub::close);
        if (db != null && hubs.size() > 1) { // a single hub's database is the hub's own
            db.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void aNodeWhosePendingJobsAreLeasedByAnotherWaitsForThemInsteadOfTurning() throws Exception {
        EmulatorConfig slow = new EmulatorConfig();
        slow.faultTimeoutDelayMillis = 6_000;
        emulator = Emulator.start(slow.port(0).importDelayMillis(10));
        String name = pg.create();
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        Map<String, String> env = new HashMap<>(HubCalls.LOCAL_ENDPOINTS);
        // leases renewed every second (a third of the timeout): the test's measure of time passing
        env.putAll(Map.of("GRIDSYNC_DATABASE_URL", pg.jdbcUrl(name), "GRIDSYNC_DATABASE_USER", "postgres",
                "GRIDSYNC_MASTER_KEY", Base64.getEncoder().encodeToString(master), "GRIDSYNC_ADMIN_TOKEN", ADMIN,
                "GRIDSYNC_WRITE_KEY", WRITE_KEY, "GRIDSYNC_LEASE_TIMEOUT", "3s", "GRIDSYNC_SENDGRID_TIMEOUT", "30s"));
        for (int i = 0; i < 2; i++) {
            hubs.add(Hub.start(HubConfig.defaults(dir.resolve("node" + i), 0).withEnvironment(env)));
        }
        db = pg.open(name);
        HubCalls.installSendGrid(hubs.get(0).baseUrl(), ADMIN, "SendGrid", SG_KEY, emulator.baseUrl());

        // SendGrid answers slowly: the node that claims Ada's first update holds it (renewing its lease) for seconds
        emulator.faults().set("timeout=1.0");
        identify("first", "ada", "First");
        awaitUntil(() -> count("SELECT COUNT(*) FROM jobs WHERE lease_owner IS NOT NULL") == 1, "Ada's first update claimed");
        // her second waits behind the first, wherever it is routed
        identify("second", "ada", "Second");

        List<Long> renewals = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long turnsBefore = 0;
        while (renewals.size() < 3) {
            Long until = leaseUntil();
            assertThat(until).as("Ada's first update still leased (SendGrid's answer is 6 s away)").isNotNull();
            if (seen.add(until)) {
                renewals.add(until);
                if (renewals.size() == 1) {
                    turnsBefore = turns();
                }
            }
            Thread.sleep(20);
        }
        long turns = turns() - turnsBefore;
        long renewed = renewals.size() - 1;
        System.out.printf("two nodes, Ada's jobs leased by one: %d router turns over %d lease renewals (%d ms)%n",
                turns, renewed, renewals.get(renewals.size() - 1) - renewals.get(0));
        // each node turns about once a renewal (a one-second poll for work other nodes finish), plus the turn under way
        assertThat(turns).as("router turns of both nodes while the only pending jobs are leased").isLessThanOrEqualTo(2 * (renewed + 2));

        emulator.faults().clear();
        awaitUntil(() -> "done".equals(state("second")), "Ada's second update delivered after the first");
        assertThat(state("first")).isEqualTo("done");
        long first = doneAt("first");
        long second = doneAt("second");
        System.out.printf("Ada's second update delivered %d ms after her first%n", second - first);
        // printed, not asserted: how soon is a wall-clock matter on a shared machine (the order is what is checked)
        assertThat(second).as("Ada's second update delivered after her first").isGreaterThanOrEqualTo(first);
    }

    @Test
    void aHubWhoseOnlyPendingJobWaitsBehindARetryWaitsForTheRetry() throws Exception {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        Hub hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(HubCalls.LOCAL_ENDPOINTS)
                .withEnvironment(Map.of("GRIDSYNC_ADMIN_TOKEN", ADMIN, "GRIDSYNC_WRITE_KEY", WRITE_KEY)));
        hubs.add(hub);
        db = hub.database();
        HubCalls.installSendGrid(hub.baseUrl(), ADMIN, "SendGrid", SG_KEY, emulator.baseUrl());

        // SendGrid fails Ada's first update again and again; her second waits behind it, between retries nothing is due
        emulator.faults().set("error_503=1.0");
        identify("first", "ada", "First");
        awaitUntil(() -> attempts("first") >= 1, "Ada's first update tried");
        identify("second", "ada", "Second");
        awaitUntil(() -> attempts("first") >= 2, "Ada's first update tried again");
        long turnsBefore = turns();
        long secondAt = lastAttemptAt("first");
        long retryAt = count("SELECT j.next_at FROM jobs j JOIN messages m ON m.seq = j.message_seq "
                + "WHERE m.message_id = 'first' AND j.action = 'upsert_contact'");
        awaitUntil(() -> attempts("first") >= 3, "Ada's first update tried a third time");
        long turns = turns() - turnsBefore;
        long thirdAt = lastAttemptAt("first");
        long thirdStarted = thirdAt - count("SELECT MAX(duration_ms) FROM attempts a JOIN messages m ON m.seq = a.message_seq "
                + "WHERE m.message_id = 'first' AND a.at = " + thirdAt);
        long gap = thirdAt - secondAt;
        System.out.printf("one hub, Ada's second update behind her first's retry: %d router turns between two attempts %d ms "
                + "apart; the retry due at +%d ms ran at +%d ms%n", turns, gap, retryAt - secondAt, thirdStarted - secondAt);
        // a turn per second of the gap at most (the poll), the one that wakes for the retry and the one under way
        assertThat(turns).as("router turns between two attempts of a retry with nothing else due")
                .isLessThanOrEqualTo(gap / 1000 + 3);
        assertThat(thirdStarted).as("the retry runs when it is due, not before").isGreaterThanOrEqualTo(retryAt);

        emulator.faults().clear();
        awaitUntil(() -> "done".equals(state("second")), "Ada's second update delivered after the first");
        assertThat(state("first")).isEqualTo("done");
    }

    private long attempts(String messageId) {
        return count("SELECT COUNT(*) FROM attempts a JOIN messages m ON m.seq = a.message_seq WHERE m.message_id = '"
                + messageId + "' AND a.action = 'upsert_contact'");
    }

    private long lastAttemptAt(String messageId) {
        return count("SELECT MAX(a.at) FROM attempts a JOIN messages m ON m.seq = a.message_seq WHERE m.message_id = '"
                + messageId + "' AND a.action = 'upsert_contact'");
    }

    private void identify(String messageId, String user, String lastName) {
        HttpResponse<String> r = HubCalls.collect(hubs.get(0).baseUrl(), WRITE_KEY, "/v1/identify", """
                {"messageId": "%s", "userId": "%s", "traits": {"email": "%s@idle.example", "last_name": "%s"}}"""
                .formatted(messageId, user, user, lastName));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private Long leaseUntil() {
        List<String> v = StateQueries.texts(db, "SELECT lease_until FROM jobs j JOIN messages m ON m.seq = j.message_seq "
                + "WHERE m.message_id = 'first' AND j.action = 'upsert_contact'");
        return v.isEmpty() || v.get(0) == null ? null : Long.parseLong(v.get(0));
    }

    private String state(String messageId) {
        List<String> v = StateQueries.texts(db, "SELECT j.state FROM jobs j JOIN messages m ON m.seq = j.message_seq "
                + "WHERE m.message_id = '" + messageId + "' AND j.action = 'upsert_contact'");
        return v.isEmpty() ? null : v.get(0);
    }

    private long doneAt(String messageId) {
        return count("SELECT a.at FROM attempts a JOIN messages m ON m.seq = a.message_seq WHERE m.message_id = '" + messageId
                + "' AND a.action = 'upsert_contact' AND a.outcome = 'done'");
    }

    /** The router turns of every hub, from their /metrics. */
    private long turns() throws Exception {
        long sum = 0;
        for (Hub h : hubs) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            sum += metrics.lines().filter(l -> l.startsWith("gridsync_router_turns_total "))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
        }
        return sum;
    }

    private long count(String sql) {
        return StateQueries.count(db, sql);
    }

    private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
