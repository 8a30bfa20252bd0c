package io.gridsync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.EmulatorHttp;
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
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.gridsync.server.testing.StateQueries.count;
import static io.gridsync.server.testing.StateQueries.texts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three hubs as child processes on one PostgreSQL; a client spreads identifies, audience entries
 * and exits, and orders across them, each person's events to alternating nodes, while one node is
 * SIGKILLed and restarted. At the end SendGrid (the emulator) holds exactly the expected contacts,
 * list memberships and lifetime values, each person's last update wins, each order got one
 * receipt (a repeat only for a send whose node was killed holding it), and the attempt log shows no
 * job delivered twice. The default run is small (150 people, ~3,500 events, one kill); the issue's
 * full run (1,277 people, ~30,000 events, two kills) is {@code mvn -Pcluster} (README).
 */
class ClusterTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final int PEOPLE = Integer.getInteger("gridsync.cluster.people", 150);
    private static final int KILLS = Integer.getInteger("gridsync.cluster.kills", 1);
    private static final int UPDATES = 20;
    private static final String WRITE_KEY = "gs_wk_cluster_test";
    private static final String ADMIN = "admin-cluster-test";
    private static final String SG_KEY = "SG.cluster-test";
    private static final String AUDIENCE = "cluster_vips";

    @TempDir
    Path dir;
    private final List<HubProcess> nodes = new ArrayList<>();
    private PostgresDatabases pg;
    private Emulator emulator;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() throws Exception {
        for (HubProcess n : nodes) {
            n.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void threeNodesOneDatabaseThroughSigkills() throws Exception {
        pg = new PostgresDatabases();
        String dbName = pg.create();
        // a slow answer now and then, so a node is often killed with jobs in hand
        EmulatorConfig slow = new EmulatorConfig().port(0).importDelayMillis(10).fault("timeout=0.1");
        slow.faultTimeoutDelayMillis = 1_000;
        emulator = Emulator.start(slow);
        EmulatorHttp sendgrid = new EmulatorHttp(emulator, SG_KEY);
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        Map<String, String> env = new HashMap<>(HubCalls.LOCAL_ENDPOINTS);
        env.putAll(Map.of("GRIDSYNC_DATABASE_URL", pg.jdbcUrl(dbName), "GRIDSYNC_DATABASE_USER", "postgres",
                "GRIDSYNC_MASTER_KEY", Base64.getEncoder().encodeToString(master), "GRIDSYNC_WRITE_KEY", WRITE_KEY,
                "GRIDSYNC_ADMIN_TOKEN", ADMIN, "SENDGRID_API_KEY", SG_KEY, "SENDGRID_API_URL", emulator.baseUrl(),
                "GRIDSYNC_LEASE_TIMEOUT", "10s", "GRIDSYNC_SENDGRID_TIMEOUT", "5s"));
        for (int i = 0; i < 3; i++) {
            HubProcess n = new HubProcess(dir.resolve("node" + i), freePort(), env);
            n.start(); // one after the other: the first installs the integration, the others find it
            nodes.add(n);
        }
        String integration = admin(0, "GET", "/v1/admin/integrations", null).path("integrations").get(0).path("id").asText();
        admin(0, "PATCH", "/v1/admin/integrations/" + integration, "{\"create_missing_fields\": true}");
        String template = sendgrid.call("POST", "/v3/templates", "{\"name\":\"Receipt\",\"generation\":\"dynamic\"}").path("id").asText();
        // added through node 0 only; nodes 1 and 2 claim receipt jobs too and must know it
        admin(0, "POST", "/v1/admin/integrations/" + integration + "/subscriptions", """
                {"name": "Receipt", "trigger": "type = \\"track\\" and event = \\"Order Completed\\"", "action": "send_email",
                 "mapping": {"template_id": "%s", "from": {"email": "shop@cluster.example", "name": "Shop"},
                             "dynamic_template_data": {"order_id": {"@path": "$.properties.order_id"}}}}""".formatted(template));

        Database db = pg.open(dbName);
        try {
            run(db, sendgrid);
        } finally {
            db.close();
        }
    }

    private void run(Database db, EmulatorHttp sendgrid) throws Exception {
        // the client: each person's events in order, each to the next node (another one while that is down)
        List<List<String>> perPerson = new ArrayList<>();
        int events = 0;
        for (int p = 0; p < PEOPLE; p++) {
            perPerson.add(events(p));
            events += perPerson.get(p).size();
        }
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> clientFailure = new AtomicReference<>();
        List<Thread> clients = new ArrayList<>();
        int threads = 8;
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread c = new Thread(() -> {
                try {
                    for (int p = first; p < PEOPLE; p += threads) {
                        List<String> mine = perPerson.get(p);
                        for (int i = 0; i < mine.size(); i++) {
                            send(p + i, mine.get(i));
                            sent.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    clientFailure.set(e);
                }
            }, "cluster-client-" + t);
            c.start();
            clients.add(c);
        }

        // kill node 1 mid-stream (and later again), restart it; what it held unrecorded may be sent twice
        Set<String> mayRepeat = new HashSet<>();
        List<Long> takeoverMillis = new ArrayList<>();
        List<Integer> heldCounts = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            int at = events * (k + 1) / (KILLS + 2);
            while (sent.get() < at && clientFailure.get() == null) {
                Thread.sleep(20);
            }
            HubProcess victim = nodes.get(1);
            String victimId = admin(1, "GET", "/v1/admin/nodes", null).path("self").asText();
            long holdsBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (heldJobs(db, victimId).isEmpty() && System.nanoTime() < holdsBy) {
                Thread.sleep(5); // kill it while it delivers
            }
            victim.kill();
            long killedAt = System.nanoTime();
            Set<Long> held = heldJobs(db, victimId);
            mayRepeat.addAll(heldReceipts(db, victimId));
            // how long the dead node's jobs wait: their leases run out, the other nodes deliver them
            long giveUp = killedAt + Duration.ofMinutes(2).toNanos();
            while (!held.isEmpty() && pendingAmong(db, held) > 0 && System.nanoTime() < giveUp) {
                Thread.sleep(100);
            }
            if (!held.isEmpty()) {
                takeoverMillis.add((System.nanoTime() - killedAt) / 1_000_000);
                heldCounts.add(held.size());
            }
            victim.start();
        }
        for (Thread c : clients) {
            c.join(Duration.ofMinutes(10).toMillis());
        }
        assertThat(clientFailure.get()).as("the client").isNull();
        assertThat(sent.get()).isEqualTo(events);

        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && (count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'pending'") > 0 || routedBehind(db))) {
            Thread.sleep(500);
        }
        assertThat(count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'pending'")).as("jobs left; logs in " + dir).isZero();
        assertThat(texts(db, "SELECT action || ': ' || last_error FROM jobs WHERE state = 'dead'")).as("dead letters").isEmpty();

        // SendGrid holds exactly the people, their last update, their list membership and lifetime value
        assertThat(sendgrid.get("/v3/marketing/contacts/count").path("contact_count").asLong()).isEqualTo(PEOPLE);
        String listId = sendgrid.listId(AUDIENCE);
        assertThat(listId).isNotNull();
        for (int from = 0; from < PEOPLE; from += 100) {
            ArrayNode emails = M.createArrayNode();
            for (int p = from; p < Math.min(PEOPLE, from + 100); p++) {
                emails.add(email(p));
            }
            JsonNode found = sendgrid.call("POST", "/v3/marketing/contacts/search/emails", "{\"emails\":" + emails + "}").path("result");
            for (int p = from; p < Math.min(PEOPLE, from + 100); p++) {
                JsonNode c = found.path(email(p)).path("contact");
                assertThat(c.path("first_name").asText()).as("person %d's last update", p).isEqualTo("v" + UPDATES);
                assertThat(c.path("custom_fields").path("lifetime_value").asDouble()).as("person %d's lifetime value", p).isEqualTo(30.5);
                boolean member = false;
                for (JsonNode l : c.path("list_ids")) {
                    member |= l.asText().equals(listId);
                }
                assertThat(member).as("person %d in the audience's list", p).isEqualTo(p % 2 == 0);
            }
        }
        assertThat(sendgrid.get("/v3/marketing/lists/" + listId + "/contacts/count").path("contact_count").asLong())
                .isEqualTo((PEOPLE + 1) / 2);

        // one receipt per order; a repeat only for a send its killed node held unrecorded
        Map<String, Integer> receipts = receipts(sendgrid);
        int repeats = 0;
        for (int p = 0; p < PEOPLE; p++) {
            for (String order : List.of(order(p, 1), order(p, 2))) {
                int n = receipts.getOrDefault(order, 0);
                assertThat(n).as("receipts of order %s", order).isGreaterThanOrEqualTo(1);
                if (n > 1) {
                    assertThat(mayRepeat).as("order %s was sent %d times but no killed node held it", order, n).contains(order);
                    repeats += n - 1;
                }
            }
        }
        assertThat(receipts.keySet()).hasSize(2 * PEOPLE);

        // the attempt log: no job delivered by two nodes, and the work was spread over the nodes
        assertThat(count(db, "SELECT COUNT(*) FROM (SELECT job_id FROM attempts WHERE outcome = 'done' GROUP BY job_id "
                + "HAVING COUNT(*) > 1) twice")).as("jobs recorded as delivered twice").isZero();
        assertThat(count(db, "SELECT COUNT(DISTINCT node) FROM attempts")).isGreaterThanOrEqualTo(2);
        JsonNode listed = admin(0, "GET", "/v1/admin/nodes", null).path("nodes");
        assertThat(listed).hasSize(3 + KILLS);
        System.out.printf("cluster test: %,d people, %,d events over 3 nodes, %d kill(s); %d receipt(s) repeated (%d sends held by "
                + "killed nodes); the dead node's %s jobs in hand delivered by the others %s ms after the kill%n", PEOPLE, events, KILLS,
                repeats, mayRepeat.size(), heldCounts, takeoverMillis);
    }

    private static boolean routedBehind(Database db) {
        return count(db, "SELECT COALESCE(MAX(seq), 0) FROM messages")
                > count(db, "SELECT COALESCE(MAX(seq), 0) FROM cursors WHERE name = 'router'");
    }

    /** A person's events: 20 updates with the email, audience entry (odd people leave again), two orders. */
    private static List<String> events(int p) {
        List<String> out = new ArrayList<>();
        for (int k = 1; k <= UPDATES; k++) {
            out.add(message(p, "u" + k, "identify", "\"traits\":{\"email\":\"" + email(p) + "\",\"first_name\":\"v" + k + "\"}"));
            if (k == 5) {
                out.add(audience(p, true));
            }
            if (k == 10) {
                out.add(order(p, 1, 20.5));
            }
            if (k == 15 && p % 2 == 1) {
                out.add(audience(p, false));
            }
        }
        out.add(order(p, 2, 10));
        return out;
    }

    private static String audience(int p, boolean member) {
        return message(p, "a" + member, "identify", "\"traits\":{\"email\":\"" + email(p) + "\",\"" + AUDIENCE + "\":" + member
                + "},\"context\":{\"personas\":{\"computation_class\":\"audience\",\"computation_key\":\"" + AUDIENCE + "\"}}");
    }

    private static String order(int p, int n, double revenue) {
        return message(p, "o" + n, "track", "\"event\":\"Order Completed\",\"properties\":{\"revenue\":" + revenue + ",\"email\":\""
                + email(p) + "\",\"order_id\":\"" + order(p, n) + "\"}");
    }

    private static String message(int p, String id, String type, String rest) {
        return "{\"batch\":[{\"type\":\"" + type + "\",\"messageId\":\"c-" + p + "-" + id + "\",\"userId\":\"user-" + p + "\"," + rest + "}]}";
    }

    private static String order(int p, int n) {
        return "order-" + p + "-" + n;
    }

    private static String email(int p) {
        return "person" + p + "@cluster.example";
    }

    /** Sends to node {@code turn % 3}, or the next ones while it is down, until one acknowledges. */
    private void send(int turn, String body) throws InterruptedException {
        String auth = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes());
        for (int attempt = 0; ; attempt++) {
            HubProcess n = nodes.get((turn + attempt) % 3);
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + "/v1/batch"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // that node is down: the next one, as a load balancer would
            }
            if (attempt > 600) {
                throw new IllegalStateException("no node acknowledged " + body);
            }
            Thread.sleep(attempt % 3 == 2 ? 100 : 0);
        }
    }

    /** Counts receipts per order id in the emulator's mail log (one request carries many personalizations). */
    private static Map<String, Integer> receipts(EmulatorHttp sendgrid) {
        Map<String, Integer> out = new HashMap<>();
        for (int offset = 0; ; offset += 10_000) {
            JsonNode page = sendgrid.get("/_emulator/mail?limit=10000&offset=" + offset);
            for (JsonNode m : page.path("messages")) {
                for (JsonNode pz : m.path("personalizations")) {
                    String order = pz.path("dynamic_template_data").path("order_id").asText();
                    out.merge(order, 1, Integer::sum);
                }
            }
            if (offset + 10_000 >= page.path("total").asLong()) {
                return out;
            }
        }
    }

    /** Jobs the (dead) node held unrecorded. */
    private static Set<Long> heldJobs(Database db, String node) {
        return db.query(c -> {
            Set<Long> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE lease_owner = ? AND state = 'pending'")) {
                ps.setString(1, node);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
            return out;
        });
    }

    /** The orders whose receipt the (dead) node held unrecorded: it may have sent them before it died. */
    private static Set<String> heldReceipts(Database db, String node) {
        return db.query(c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT m.body FROM jobs j JOIN messages m ON m.seq = j.message_seq "
                    + "WHERE j.lease_owner = ? AND j.state = 'pending' AND j.action = 'send_email'")) {
                ps.setString(1, node);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(M.readTree(rs.getString(1)).path("properties").path("order_id").asText());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        });
    }

    private static long pendingAmong(Database db, Set<Long> ids) {
        return db.query(c -> {
            long n = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                }
            }
            return n;
        });
    }



    private JsonNode admin(int node, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nodes.get(node).baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
        return r.body().isBlank() ? M.createObjectNode() : M.readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
