package io.gridsync.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.EmulatorHttp;
import io.gridsync.server.testing.HubCalls;
import io.gridsync.server.testing.MutableClock;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three hubs in this JVM on one PostgreSQL: an admin change made through one is applied by all
 * three to the next messages; scheduled work (a mirror run, a scheduled cohort sync) runs once per
 * cluster, and again on another node after the one running it stops (killed: ScheduledWorkTakeoverTest);
 * admin syncs asked for on several nodes at once start one run; a backlog made at once is
 * delivered by every node; every SendGrid client of a node keeps its windows in the shared table,
 * and three delivering nodes draw no more 429s than one.
 */
class ClusterWorkTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String ADMIN = "admin-cluster-work";
    private static final String WRITE_KEY = "gs_wk_cluster_work";
    private static final String SG_KEY = "SG.cluster-work";
    private static PostgresDatabases pg;

    @TempDir
    Path dir;
    private final List<Hub> hubs = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private Emulator emulator;
    private Database db;
    private Map<String, String> env;
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
        stopCluster();
    }

    private void stopCluster() {
        hubs.forEach(h -> {
            try {
                h.close();
            } catch (RuntimeException e) {
                // closed already by the test
            }
        });
        if (db != null) {
            db.close();
            db = null;
        }
        hubs.clear();
        if (emulator != null) {
            emulator.close();
        }
    }

    private void startCluster() throws Exception {
        startCluster(3, new EmulatorConfig());
    }

    private void startCluster(int size, EmulatorConfig sendgrid) throws Exception {
        emulator = Emulator.start(sendgrid.port(0).importDelayMillis(10));
        String name = pg.create();
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        Path imports = Files.createDirectories(dir.resolve("imports"));
        env = new HashMap<>(HubCalls.LOCAL_ENDPOINTS);
        env.putAll(Map.of("GRIDSYNC_DATABASE_URL", pg.jdbcUrl(name), "GRIDSYNC_DATABASE_USER", "postgres",
                "GRIDSYNC_MASTER_KEY", Base64.getEncoder().encodeToString(master), "GRIDSYNC_ADMIN_TOKEN", ADMIN,
                "GRIDSYNC_WRITE_KEY", WRITE_KEY, "GRIDSYNC_IMPORT_DIR", imports.toString()));
        for (int i = 0; i < size; i++) {
            addHub();
        }
        db = pg.open(name);
        HubCalls.installSendGrid(hubs.get(0).baseUrl(), ADMIN, "SendGrid", SG_KEY, emulator.baseUrl());
    }

    /** One more node on the cluster's database. */
    private Hub addHub() {
        Hub hub = Hub.start(HubConfig.defaults(dir.resolve("node" + hubs.size()), 0).withEnvironment(env), clock);
        hubs.add(hub);
        return hub;
    }

    @Test
    void aSubscriptionAddedThroughOneNodeIsAppliedByAllThree() throws Exception {
        startCluster();
        EmulatorHttp sendgrid = new EmulatorHttp(emulator, SG_KEY);
        String integration = admin(0, "GET", "/v1/admin/integrations", null).path("integrations").get(0).path("id").asText();
        String template = sendgrid.call("POST", "/v3/templates", "{\"name\":\"Receipt\",\"generation\":\"dynamic\"}").path("id").asText();
        // added through a node that does not route: the routing node makes receipt jobs only if it applies the change
        Hub router = holderOf("routing");
        Hub through = hubs.stream().filter(h -> h != router).findFirst().orElseThrow();
        admin(through, "POST", "/v1/admin/integrations/" + integration + "/subscriptions", """
                {"name": "Receipt", "trigger": "event = \\"Order Completed\\"", "action": "send_email",
                 "mapping": {"template_id": "%s", "from": {"email": "shop@cluster.example"},
                             "dynamic_template_data": {"order_id": {"@path": "$.properties.order_id"}}}}""".formatted(template));

        // the next orders, at once, through every node
        int orders = 90;
        for (int i = 0; i < orders; i++) {
            HttpResponse<String> r = HubCalls.collect(hubs.get(i % 3).baseUrl(), WRITE_KEY, "/v1/track", """
                    {"userId": "u%d", "event": "Order Completed", "properties": {"email": "u%d@cluster.example", "order_id": "o%d"}}"""
                    .formatted(i, i, i));
            assertThat(r.statusCode()).isEqualTo(200);
        }
        awaitUntil(() -> count("SELECT COUNT(*) FROM jobs WHERE action = 'send_email' AND state <> 'pending'") == orders,
                "every receipt job finished");
        assertThat(texts("SELECT last_error FROM jobs WHERE state = 'dead' AND action = 'send_email'")).as("dead receipts").isEmpty();
        assertThat(sendgrid.get("/_emulator/mail?limit=1000").findValues("order_id")).hasSize(orders);
        System.out.printf("receipt jobs recorded per node: %s%n", texts("SELECT node || ' ' || COUNT(*) FROM attempts "
                + "WHERE action = 'send_email' GROUP BY node"));

        // and one removed through another node is gone everywhere: the next orders send nothing
        Hub other = hubs.stream().filter(h -> h != router && h != through).findFirst().orElseThrow();
        admin(other, "DELETE", "/v1/admin/integrations/" + integration + "/subscriptions/Receipt", null);
        for (int i = 0; i < 9; i++) {
            HubCalls.collect(hubs.get(i % 3).baseUrl(), WRITE_KEY, "/v1/track", """
                    {"userId": "late%d", "event": "Order Completed", "properties": {"email": "late%d@cluster.example"}}""".formatted(i, i));
        }
        awaitUntil(() -> count("SELECT COUNT(*) FROM messages m WHERE m.body LIKE '%late8%' AND m.seq <= "
                + "(SELECT seq FROM cursors WHERE name = 'router')") == 1, "the late orders routed");
        assertThat(count("SELECT COUNT(*) FROM jobs WHERE action = 'send_email'")).isEqualTo(orders);

        // the nodes, as an operator sees them
        JsonNode nodes = admin(1, "GET", "/v1/admin/nodes", null);
        assertThat(nodes.path("nodes")).hasSize(3);
        assertThat(nodes.path("nodes").findValuesAsText("status")).containsOnly("live");
        String metrics = http.send(HttpRequest.newBuilder(URI.create(hubs.get(2).baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("gridsync_cluster_nodes 3.0");
    }

    @Test
    void aBacklogMadeAtOnceIsDeliveredByEveryNode() throws Exception {
        startCluster();
        EmulatorHttp sendgrid = new EmulatorHttp(emulator, SG_KEY);
        String integration = admin(0, "GET", "/v1/admin/integrations", null).path("integrations").get(0).path("id").asText();
        int people = 600;
        int updates = 2;
        // one batch, each person's updates in order: every node waits to claim while the backlog is made, then all look at once
        releaseClaimsTogether(integration, () -> {
            StringBuilder batch = new StringBuilder("{\"batch\": [");
            for (int p = 0; p < people; p++) {
                for (int v = 1; v <= updates; v++) {
                    batch.append(p == 0 && v == 1 ? "" : ",").append("""
                            {"type": "identify", "userId": "s%d", "traits": {"email": "s%d@cluster.example", "first_name": "v%d"}}"""
                            .formatted(p, p, v));
                }
            }
            assertThat(HubCalls.collect(hubs.get(0).baseUrl(), WRITE_KEY, "/v1/batch", batch.append("]}").toString()).statusCode())
                    .isEqualTo(200);
        }, () -> count("SELECT COUNT(*) FROM jobs") == people * updates);
        awaitUntil(() -> count("SELECT COUNT(*) FROM jobs WHERE state = 'pending'") == 0, "the backlog delivered");

        Map<String, Long> perNode = deliveredPerNode("upsert_contact", 0);
        System.out.printf("a backlog of %d jobs made at once, delivered per node: %s%n", people * updates, perNode);
        assertThat(perNode).as("jobs delivered per node").hasSize(3);
        assertThat(perNode.values()).as("jobs delivered per node").allMatch(n -> n > 0);
        assertThat(count("SELECT COUNT(*) FROM (SELECT job_id FROM attempts WHERE outcome = 'done' GROUP BY job_id "
                + "HAVING COUNT(*) > 1) twice")).as("jobs delivered twice").isZero();
        assertThat(texts("SELECT DISTINCT state FROM jobs")).containsExactly("done");
        // SendGrid holds each person once, with their last update
        assertThat(sendgrid.contactCount()).isEqualTo(people);
        for (int from = 0; from < people; from += 100) {
            StringBuilder emails = new StringBuilder();
            for (int p = from; p < from + 100; p++) {
                emails.append(p == from ? "" : ",").append("\"s").append(p).append("@cluster.example\"");
            }
            JsonNode found = sendgrid.call("POST", "/v3/marketing/contacts/search/emails", "{\"emails\": [" + emails + "]}")
                    .path("result");
            for (int p = from; p < from + 100; p++) {
                assertThat(found.path("s" + p + "@cluster.example").path("contact").path("first_name").asText())
                        .as("person %d's last update", p).isEqualTo("v" + updates);
            }
        }
    }

    @Test
    void aWriteKeyAndAWebhookSourceMadeThroughOneNodeWorkOnTheOther() throws Exception {
        startCluster(2, new EmulatorConfig());
        String key = admin(0, "POST", "/v1/admin/write-keys", "{\"name\": \"shop\"}").path("write_key").asText();
        awaitUntil(() -> HubCalls.collect(hubs.get(1).baseUrl(), key, "/v1/track",
                "{\"userId\": \"u1\", \"event\": \"Signed Up\"}").statusCode() == 200, "the new key accepted by the other node");

        admin(1, "DELETE", "/v1/admin/write-keys/" + key, null);
        awaitUntil(() -> HubCalls.collect(hubs.get(0).baseUrl(), key, "/v1/track",
                "{\"userId\": \"u1\", \"event\": \"Signed Up\"}").statusCode() == 401, "the revoked key refused by the first node");

        admin(0, "PUT", "/v1/admin/sources/shop_events", null);
        awaitUntil(() -> webhookPost(hubs.get(1), "shop_events") == 200, "the new webhook source taking posts on the other node");
    }

    @Test
    void scheduledWorkRunsOnceAndMovesWhenItsNodeStops() throws Exception {
        startCluster();
        Files.writeString(dir.resolve("imports").resolve("vips.csv"), "email\nada@cluster.example\ngrace@cluster.example\n");
        admin(0, "POST", "/v1/audiences/vips/syncs", "{\"source\": {\"csv\": \"vips.csv\"}, \"schedule\": \"hourly\"}");
        clock.runAhead(Duration.ofMinutes(2)); // the mirror's first scheduled run falls due a minute after start

        awaitUntil(() -> scheduledMirrorRuns() == 1 && cohortRuns() == 1, "the first scheduled mirror run and cohort sync");
        Thread.sleep(20_000); // more than a scheduler tick on every node
        assertThat(scheduledMirrorRuns()).as("scheduled mirror runs with three nodes up").isEqualTo(1);
        assertThat(cohortRuns()).as("scheduled cohort syncs with three nodes up").isEqualTo(1);

        // the node running the schedules stops; another takes them over at their next due time
        Hub holder = holderOf("mirror-schedule");
        holder.close();
        hubs.remove(holder);
        Hub audienceHolder = holderOf("audiences");
        if (audienceHolder != null) {
            audienceHolder.close();
            hubs.remove(audienceHolder);
        }
        clock.runAhead(Duration.ofHours(4));
        awaitUntil(() -> scheduledMirrorRuns() == 2 && cohortRuns() == 2, "the next runs on another node");
        Thread.sleep(20_000);
        assertThat(scheduledMirrorRuns()).isEqualTo(2);
        assertThat(cohortRuns()).isEqualTo(2);
        assertThat(new EmulatorHttp(emulator, SG_KEY).get("/v3/marketing/contacts/count").path("contact_count").asLong()).isEqualTo(2);
    }

    private int webhookPost(Hub hub, String source) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/webhooks/sendgrid/" + source))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "[{\"email\": \"ada@cluster.example\", \"event\": \"delivered\", \"timestamp\": 1700000000, "
                                    + "\"sg_event_id\": \"cluster-1\"}]")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void adminSyncsOnTwoNodesAtOnceStartOneRun() throws Exception {
        EmulatorConfig sendgrid = new EmulatorConfig();
        startCluster(3, sendgrid);
        EmulatorHttp account = new EmulatorHttp(emulator, SG_KEY);
        account.call("PUT", "/v3/marketing/contacts", "{\"contacts\": [{\"email\": \"ada@cluster.example\"}]}");
        awaitUntil(() -> account.get("/v3/marketing/contacts/count").path("contact_count").asLong() == 1, "a contact to export");
        sendgrid.importDelayMillis = 3_000; // the run's contact export takes 3 s: every request below arrives while it runs
        int asks = 6; // two through each node, released together
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(asks);
        try {
            for (int i = 0; i < asks; i++) {
                Hub hub = hubs.get(i % 3);
                answers.add(pool.submit(() -> {
                    go.await();
                    return http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/sources/SendGrid/sync"))
                            .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            List<JsonNode> started = new ArrayList<>();
            List<JsonNode> refused = new ArrayList<>();
            for (var a : answers) {
                HttpResponse<String> r = a.get();
                assertThat(r.statusCode()).as(r.body()).isIn(202, 409);
                (r.statusCode() == 202 ? started : refused).add(M.readTree(r.body()));
            }
            assertThat(started).as("runs started").hasSize(1);
            long run = started.get(0).path("run_id").asLong();
            for (JsonNode r : refused) {
                assertThat(r.path("already_running").asBoolean()).isTrue();
                assertThat(r.path("run_id").asLong()).isEqualTo(run);
                assertThat(r.path("run").asText()).isEqualTo("/v1/admin/sources/SendGrid/runs/" + run);
                assertThat(r.path("error").asText()).startsWith("source 'SendGrid' is syncing already (run " + run)
                        .contains("follow it at /v1/admin/sources/SendGrid/runs/" + run);
            }
        } finally {
            pool.shutdownNow();
        }
        sendgrid.importDelayMillis = 10;
        awaitUntil(() -> count("SELECT COUNT(*) FROM source_runs WHERE status NOT IN ('queued', 'running')") == 1, "the run finished");
        assertThat(count("SELECT COUNT(*) FROM source_runs")).as("mirror runs").isEqualTo(1);
        assertThat(texts("SELECT status FROM source_runs")).containsExactly("succeeded");
        assertThat(account.get("/_emulator/stats").path("requests").path("POST /v3/marketing/contacts/exports").asLong())
                .as("contact exports").isEqualTo(1);
    }

    @Test
    void audiencesTheMirrorErasuresAndTheCredentialsTestSpendTheSharedBudget() throws Exception {
        startCluster(2, new EmulatorConfig());
        String account = SharedRateLimits.accountOf(emulator.baseUrl(), SG_KEY);
        // a cohort sync (audiences' client), then a mirror run (the mirror's), then an erasure (the erasure worker's)
        Files.writeString(dir.resolve("imports").resolve("vips.csv"), "email\nada@cluster.example\n");
        admin(1, "POST", "/v1/audiences/vips/syncs", "{\"source\": {\"csv\": \"vips.csv\"}, \"schedule\": \"once\"}");
        awaitUntil(() -> count("SELECT COUNT(*) FROM audience_runs WHERE finished_at IS NOT NULL") == 1, "the cohort sync");
        List<String> afterAudience = families();
        assertThat(afterAudience).as("windows the audience client kept").contains("contacts", "lists");

        long run = admin(1, "POST", "/v1/admin/sources/SendGrid/sync", null).path("run_id").asLong();
        awaitUntil(() -> count("SELECT COUNT(*) FROM source_runs WHERE id = " + run + " AND status = 'succeeded'") == 1, "the mirror run");
        List<String> afterMirror = families();
        assertThat(afterMirror).as("windows the mirror's client kept").contains("templates", "senders");

        admin(0, "POST", "/v1/admin/erasures", "{\"email\": \"ada@cluster.example\", \"sendgrid_erase_job\": true}");
        awaitUntil(() -> families().contains("recipients"), "the erasure's erase job window");
        List<String> afterErasure = families();

        // the credentials test's GET /v3/scopes, through the other node (the mirror reads scopes too: its window goes first)
        String integration = admin(0, "GET", "/v1/admin/integrations", null).path("integrations").get(0).path("id").asText();
        try (java.sql.Connection c = db.dedicatedConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM rate_limits WHERE family = 'scopes'");
        }
        assertThat(admin(1, "POST", "/v1/admin/integrations/" + integration + "/test", null).path("ok").asBoolean()).isTrue();
        assertThat(families()).as("windows after the credentials test").contains("scopes");

        // all of one account, the one the delivery client of every node paces by too
        assertThat(texts("SELECT DISTINCT account FROM rate_limits")).containsExactly(account);
        System.out.printf("shared windows: after the cohort sync %s, after the mirror %s, after the erasure %s, after the "
                + "credentials test %s%n", afterAudience, afterMirror, afterErasure, families());
    }

    @Test
    void threeNodesDrawNoMore429sThanOne() throws Exception {
        // mail sends of 25 a second: one request per receipt (each its own category), so the jobs, not batching, meet the limit
        startCluster(1, new EmulatorConfig().rateLimit("mail", MAIL_LIMIT));
        EmulatorHttp sendgrid = new EmulatorHttp(emulator, SG_KEY);
        String integration = admin(0, "GET", "/v1/admin/integrations", null).path("integrations").get(0).path("id").asText();
        String template = sendgrid.call("POST", "/v3/templates", "{\"name\":\"Receipt\",\"generation\":\"dynamic\"}").path("id").asText();
        admin(0, "POST", "/v1/admin/integrations/" + integration + "/subscriptions", """
                {"name": "Receipt", "trigger": "event = \\"Order Completed\\"", "action": "send_email",
                 "mapping": {"template_id": "%s", "from": {"email": "shop@cluster.example"},
                             "categories": {"@path": "$.properties.order_id"}}}""".formatted(template));

        Round one = deliverRound(integration, sendgrid, "one", 60);
        addHub();
        addHub();
        Round three = deliverRound(integration, sendgrid, "three", 300);
        System.out.printf("429s from the emulator's mail limit (%d/%d s): one node %d of %d sends %s; three nodes %d of %d %s%n",
                MAIL_LIMIT.requests(), MAIL_LIMIT.windowSeconds(), one.limited, one.requests, one.perNode, three.limited,
                three.requests, three.perNode);

        assertThat(one.perNode).hasSize(1);
        assertThat(three.perNode).as("receipts delivered per node").hasSize(3);
        // every call of every node is counted in the one window, the calls made as a window opens too: three nodes
        // sending at once overspend it no more than one node does (each pacing alone they drew a 429 most windows)
        assertThat(three.limited).as("429s with three nodes (one node drew %d)", one.limited).isLessThanOrEqualTo(one.limited);
        assertThat(texts("SELECT state FROM jobs WHERE action = 'send_email' GROUP BY state")).containsExactly("done");
    }

    /** Mail sends SendGrid allows in the 429 test: three nodes sending at once use a window up in a fraction of it. */
    private static final io.gridsync.emulator.http.RateLimiter.Limit MAIL_LIMIT = new io.gridsync.emulator.http.RateLimiter.Limit(25, 1);

    private record Round(long requests, long limited, Map<String, Long> perNode) {}

    /**
     * {@code orders} receipt jobs made at once, released to every node's claim together (so each
     * node sends its share of them at the same time as the others): how many mail sends and 429s
     * SendGrid saw, and who delivered.
     */
    private Round deliverRound(String integration, EmulatorHttp sendgrid, String name, int orders) throws Exception {
        long mark = count("SELECT COALESCE(MAX(seq), 0) FROM messages");
        JsonNode before = sendgrid.get("/_emulator/stats");
        releaseClaimsTogether(integration, () -> {
            StringBuilder batch = new StringBuilder("{\"batch\": [");
            for (int i = 0; i < orders; i++) {
                batch.append(i == 0 ? "" : ",").append("""
                        {"type": "track", "userId": "%s%d", "event": "Order Completed",
                         "properties": {"email": "%s%d@cluster.example", "order_id": "%s-%d"}}""".formatted(name, i, name, i, name, i));
            }
            assertThat(HubCalls.collect(hubs.get(0).baseUrl(), WRITE_KEY, "/v1/batch", batch.append("]}").toString()).statusCode())
                    .isEqualTo(200);
        }, () -> count("SELECT COUNT(*) FROM jobs WHERE action = 'send_email' AND message_seq > " + mark) == orders);
        awaitUntil(() -> count("SELECT COUNT(*) FROM jobs WHERE action = 'send_email' AND state = 'pending' AND message_seq > " + mark) == 0,
                "the round's receipts delivered");
        JsonNode after = sendgrid.get("/_emulator/stats");
        String send = "POST /v3/mail/send";
        return new Round(after.path("requests").path(send).asLong() - before.path("requests").path(send).asLong(),
                after.path("rate_limited").path(send).asLong() - before.path("rate_limited").path(send).asLong(),
                deliveredPerNode("send_email", mark));
    }

    /**
     * Makes a backlog of jobs ({@code routed} says when it is all there) while the test holds the integration's claims, and lets go
     * once every node's delivery waits for them: the nodes then claim one after another at once, as
     * when they all look at a backlog together. A routing node that began waiting before it routed
     * the backlog is let through (it claims nothing yet) and the test holds the claims again.
     */
    private void releaseClaimsTogether(String integration, Runnable makeBacklog, BooleanSupplier routed) throws Exception {
        boolean made = false;
        while (true) {
            try (java.sql.Connection hold = db.dedicatedConnection()) {
                hold.setAutoCommit(false);
                long key = ClusterLocks.key("claim:" + integration);
                try (PreparedStatement ps = hold.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    ps.setLong(1, key);
                    ps.executeQuery().close();
                }
                if (!made) {
                    makeBacklog.run();
                    made = true;
                }
                awaitUntil(() -> claimsWaiting(key) == hubs.size(), "every node waiting to claim");
                if (routed.getAsBoolean()) {
                    hold.commit();
                    return;
                }
                hold.rollback();
            }
        }
    }

    /** Transactions waiting for the advisory lock {@code key} (PostgreSQL shows a bigint key as two 32-bit halves). */
    private long claimsWaiting(long key) {
        return count("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1 "
                + "AND ((classid::bigint << 32) | objid::bigint) = " + key);
    }

    /** Jobs of {@code action} of messages after {@code mark} delivered per node, from the attempt log. */
    private Map<String, Long> deliveredPerNode(String action, long mark) {
        Map<String, Long> perNode = new java.util.TreeMap<>();
        for (String row : texts("SELECT node || ' ' || COUNT(*) FROM attempts WHERE outcome = 'done' AND action = '" + action
                + "' AND message_seq > " + mark + " GROUP BY node")) {
            perNode.put(row.substring(0, row.lastIndexOf(' ')), Long.parseLong(row.substring(row.lastIndexOf(' ') + 1)));
        }
        return perNode;
    }

    private List<String> families() {
        return texts("SELECT family FROM rate_limits ORDER BY family");
    }

    private long count(String sql) {
        return StateQueries.count(db, sql);
    }

    private List<String> texts(String sql) {
        return StateQueries.texts(db, sql);
    }

    /** The live hub whose heartbeat says it runs {@code work}; null when it stopped already. */
    private Hub holderOf(String work) throws Exception {
        awaitUntil(() -> {
            try {
                return admin(hubs.get(0), "GET", "/v1/admin/nodes", null).path("nodes").findValues("runs").stream()
                        .anyMatch(r -> r.toString().contains("\"" + work + "\""));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "a node's heartbeat naming " + work);
        for (JsonNode n : admin(hubs.get(0), "GET", "/v1/admin/nodes", null).path("nodes")) {
            if (n.path("runs").toString().contains("\"" + work + "\"") && n.path("status").asText().equals("live")) {
                for (Hub h : hubs) {
                    if (admin(h, "GET", "/v1/admin/nodes", null).path("self").asText().equals(n.path("id").asText())) {
                        return h;
                    }
                }
            }
        }
        return null;
    }

    private long scheduledMirrorRuns() {
        return count("SELECT COUNT(*) FROM source_runs WHERE trigger_kind = 'schedule' AND status NOT IN ('queued', 'running')");
    }

    private long cohortRuns() {
        return count("SELECT COUNT(*) FROM audience_runs WHERE finished_at IS NOT NULL");
    }

    private JsonNode admin(int node, String method, String path, String json) throws Exception {
        return admin(hubs.get(node), method, path, json);
    }

    private JsonNode admin(Hub hub, String method, String path, String json) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(method + " " + path + ": " + resp.body()).isLessThan(300);
        return resp.body().isBlank() ? M.createObjectNode() : M.readTree(resp.body());
    }



    private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
