package io.gridsync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.HubCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "A 200 means stored, and delivered exactly once", with the state database filling up in the
 * middle of a stream: 20,000 identifies with fixed messageIds in batches of 20, each batch sent
 * again until it gets a 200, as Segment's libraries do. Space comes back without a restart. The
 * subclasses fill SQLite (a per-connection page limit: SQLITE_FULL, as on a full disk) and
 * PostgreSQL (disk_full raised by the database, and its connections cut).
 */
abstract class StorageFaultContract {

    static final ObjectMapper M = new ObjectMapper();
    static final int MESSAGES = 20_000;
    static final int BATCH = 20;
    private static final String SG_KEY = "SG.disk-full-0123456789";

    @TempDir
    Path dir;
    Emulator emulator;
    Hub hub;
    Database db;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The state database, with its fault switch off. */
    abstract Database openDatabase() throws Exception;

    /** From now on, writes fail as they would on a full disk. */
    abstract void fillUp() throws Exception;

    /** Space is back. */
    abstract void freeSpace() throws Exception;

    @BeforeEach
    void start() throws Exception {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        db = openDatabase();
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS), Clock.systemUTC(), db);
        HubCalls.installSendGrid(hub.baseUrl(), hub.adminToken(), "SendGrid", SG_KEY, emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        emulator.close();
    }

    @Test
    void everyAcknowledgedMessageIsStoredAndDeliveredOnceThroughAFullDisk() throws Exception {
        AtomicInteger nextBatch = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger rateLimited = new AtomicInteger();
        AtomicLong lastRefusalAt = new AtomicLong();
        AtomicLong firstOkAfterFree = new AtomicLong();
        AtomicLong freedAt = new AtomicLong();
        int batches = MESSAGES / BATCH;
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            running.add(clients.submit(() -> {
                for (int b; (b = nextBatch.getAndIncrement()) < batches; ) {
                    String body = batch(b);
                    while (true) { // a Segment library sends a batch again until it is acknowledged
                        HttpResponse<String> r = send(post("/v1/batch", body));
                        if (r.statusCode() == 200) {
                            acknowledged.addAndGet(BATCH);
                            if (freedAt.get() != 0) {
                                firstOkAfterFree.compareAndSet(0, System.currentTimeMillis());
                            }
                            break;
                        }
                        if (r.statusCode() == 429) {
                            // four fast clients on one address can pass the hub's per-address limit; the libraries wait and retry
                            rateLimited.incrementAndGet();
                            Thread.sleep(1_000L * Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()));
                            continue;
                        }
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                        assertThat(r.headers().firstValue("Retry-After")).isPresent();
                        refused.incrementAndGet();
                        lastRefusalAt.set(System.currentTimeMillis());
                        Thread.sleep(50);
                    }
                }
                return null;
            }));
        }

        awaitWhileClientsRun(running, () -> acknowledged.get() >= MESSAGES / 4, Duration.ofMinutes(2),
                "a quarter of the stream acknowledged");
        fillUp();
        awaitWhileClientsRun(running, () -> refused.get() >= 20, Duration.ofMinutes(1),
                "collection refusing with 503 while the store is full");
        // on SQLite a small commit may still fit in the free bytes of the last pages and clear the status for a moment: poll
        awaitUntil(() -> {
            JsonNode sick = health();
            return sick.path("status").asText().equals("unavailable")
                    && sick.path("components").path("journal").path("status").asText().equals("failing");
        }, Duration.ofMinutes(1), "health saying unavailable, the journal failing");
        Thread.sleep(1_000); // the full disk lasts a while: the router and the clients keep running into it
        freeSpace();
        freedAt.set(System.currentTimeMillis());

        for (Future<?> f : running) {
            f.get(); // every client finished: every batch got its 200
        }
        clients.shutdown();
        assertThat(acknowledged.get()).isEqualTo(MESSAGES);
        System.out.printf("storage fault: %d requests refused with 503 (%d with 429); first 200 %d ms after space came back%n",
                refused.get(), rateLimited.get(), firstOkAfterFree.get() - freedAt.get());
        assertThat(health().path("status").asText()).isEqualTo("ok");

        // the journal holds each acknowledged message once, and no messageId is claimed without its message
        assertThat(scalar("SELECT COUNT(*) FROM messages")).isEqualTo(MESSAGES);
        assertThat(scalar("SELECT COUNT(DISTINCT message_id) FROM messages")).isEqualTo(MESSAGES);
        assertThat(scalar("SELECT COUNT(*) FROM message_ids i WHERE NOT EXISTS "
                + "(SELECT 1 FROM messages m WHERE m.message_id = i.message_id)")).isZero();

        // delivered: every person is a contact, every job done with exactly one accepted attempt
        awaitUntil(() -> scalar("SELECT COUNT(*) FROM jobs WHERE state = 'done'") == MESSAGES, Duration.ofMinutes(3),
                "every job delivered");
        awaitUntil(() -> contactCount() == MESSAGES, Duration.ofMinutes(1), "every person a contact in the emulator");
        assertThat(scalar("SELECT COUNT(*) FROM jobs")).isEqualTo(MESSAGES);
        assertThat(scalar("SELECT COUNT(*) FROM attempts WHERE outcome = 'done'")).isEqualTo(MESSAGES);
        assertThat(scalar("SELECT COUNT(*) FROM (SELECT job_id FROM attempts WHERE outcome = 'done' GROUP BY job_id "
                + "HAVING COUNT(*) > 1) twice")).isZero();
    }

    /** Batch {@code b}: identifies of persons b*20 .. b*20+19, each with a messageId of its own. */
    static String batch(int b) {
        StringBuilder s = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < BATCH; i++) {
            int n = b * BATCH + i;
            s.append(i == 0 ? "" : ",").append("{\"type\":\"identify\",\"messageId\":\"disk-").append(n)
                    .append("\",\"userId\":\"u").append(n).append("\",\"traits\":{\"email\":\"person").append(n)
                    .append("@example.com\",\"first_name\":\"P").append(n).append("\"}}");
        }
        return s.append("]}").toString();
    }

    HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((hub.writeKey() + ":").getBytes()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode health() {
        try {
            return M.readTree(send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/healthz")).timeout(Duration.ofSeconds(30))
                    .build()).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long contactCount() {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/marketing/contacts/count"))
                    .header("Authorization", "Bearer " + SG_KEY).build());
            return M.readTree(r.body()).path("contact_count").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long scalar(String sql) {
        return db.query(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * {@link #awaitUntil}, failing at once with the client's own error when one stops (a client's
     * unexpected answer would otherwise show only as this wait timing out).
     */
    static void awaitWhileClientsRun(List<Future<?>> clients, BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        awaitUntil(() -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            boolean allDone = true;
            for (Future<?> f : clients) {
                if (f.isDone()) {
                    try {
                        f.get();
                    } catch (ExecutionException | InterruptedException e) {
                        throw new AssertionError("a client stopped while waiting for: " + what,
                                e instanceof ExecutionException ? e.getCause() : e);
                    }
                } else {
                    allDone = false;
                }
            }
            if (allDone && !condition.getAsBoolean()) {
                throw new AssertionError("the clients finished before: " + what);
            }
            return allDone; // and so the condition holds
        }, timeout, what);
    }

    static void awaitUntil(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Runs {@code sql} on a connection of its own (the fault switches). */
    static void execute(Database db, String sql) throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
