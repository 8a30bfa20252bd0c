package io.gridsync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.warehouse.ColumnType;
import io.gridsync.server.warehouse.Warehouse;
import io.gridsync.server.warehouse.WarehouseTable;
import io.gridsync.server.webhook.EventTables;
import io.gridsync.server.webhook.EventType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Webhook capture throughput: signed posts of 1,000 SendGrid events from 4 concurrent senders
 * into a running hub (verify, parse, de-duplicate, commit, answer), per warehouse database, beside
 * the database's own rate for the same rows in the same run (plain batched INSERTs on SQLite, COPY
 * on PostgreSQL, no de-duplication) and the warehouse's load of them without HTTP.
 * {@code java -Xmx3g [-Drounds=3] -jar gridsync-bench.jar webhook [events per round] [sqlite,postgres] [senders]}.
 */
final class WebhookBench {

    private static final int PER_POST = 1000;
    /**
     * Posts sent before the clock starts (in rounds of 100, made as they are sent): the tables and
     * statements exist, and the JIT has compiled the hot paths. On 2 cores the compiler threads take
     * most of a core for the first several hundred posts, so the clock starts only once a round
     * spent under 5% of its time compiling (or after 3,000 posts): the rate of a hub that has run for
     * a while, which is what SendGrid meets.
     */
    private static final int WARM_ROUND = 100;
    private static final int MAX_WARM_POSTS = 3_000;
    private static final int ROUNDS = Integer.getInteger("rounds", 3);
    private static final int RAW_CHUNK = 20_000;
    /** A mix like a newsletter's: every mail processed and delivered, some opened and clicked, a few bounced. */
    private static final EventType[] MIX = {EventType.PROCESSED, EventType.DELIVERED, EventType.PROCESSED, EventType.DELIVERED,
            EventType.OPEN, EventType.PROCESSED, EventType.DELIVERED, EventType.CLICK, EventType.OPEN, EventType.BOUNCE,
            EventType.DEFERRED, EventType.DROPPED, EventType.UNSUBSCRIBE, EventType.SPAM_REPORT, EventType.GROUP_UNSUBSCRIBE,
            EventType.GROUP_RESUBSCRIBE};

    private WebhookBench() {}

    static void run(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        List<String> databases = List.of((args.length > 1 ? args[1] : "sqlite,postgres").split(","));
        int senders = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        total = Math.max(PER_POST, total / PER_POST * PER_POST);
        for (String db : databases) {
            ObjectNode r = Results.start("webhook-" + db);
            r.put("events", total);
            r.put("events_per_post", PER_POST);
            r.put("senders", senders);
            switch (db) {
                case "sqlite" -> runSqlite(r, total, senders);
                case "postgres" -> runPostgres(r, total, senders);
                default -> throw new IllegalArgumentException("unknown database " + db + "; use sqlite or postgres");
            }
            Results.write(r);
        }
    }

    private static void runSqlite(ObjectNode r, int total, int senders) throws Exception {
        Path dir = Files.createTempDirectory("gridsync-webhook-bench");
        try {
            webhook(r, dir.resolve("data"), Map.of(), total, senders);
            try (Warehouse w = Warehouse.sqlite(dir.resolve("direct"))) {
                direct(r, w, total);
            }
            rawSqlite(r, dir.resolve("raw"), total);
        } finally {
            delete(dir);
        }
    }

    private static void runPostgres(ObjectNode r, int total, int senders) throws Exception {
        Path dir = Files.createTempDirectory("gridsync-webhook-bench");
        try (EmbeddedPostgres pg = DurablePostgres.start()) {
            for (String name : List.of("hub", "direct", "raw")) {
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
            }
            String url = pg.getJdbcUrl("postgres", "hub");
            // state stays in SQLite: only the warehouse is measured on PostgreSQL
            webhook(r, dir.resolve("data"), Map.of("GRIDSYNC_WAREHOUSE_URL", url, "GRIDSYNC_WAREHOUSE_USER", "postgres"), total, senders);
            try (Warehouse w = Warehouse.open(pg.getJdbcUrl("postgres", "direct"), "postgres", null, dir)) {
                direct(r, w, total);
            }
            rawPostgres(r, pg.getJdbcUrl("postgres", "raw"), total);
        } finally {
            delete(dir);
        }
    }

    /** The hub under 4 senders; every post signed; every event counted in the warehouse afterwards. */
    private static void webhook(ObjectNode r, Path data, Map<String, String> env, int total, int senders) throws Exception {
        KeyPair keys = keyPair();
        try (Hub hub = Hub.start(HubConfig.defaults(data, 0).withEnvironment(env))) {
            hub.capture().sources().setPublicKey("sendgrid", Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
            URI url = URI.create(hub.baseUrl() + "/v1/webhooks/sendgrid");
            int warm = warmUp(url, keys, senders);
            r.put("warm_up_posts", warm);
            // measured rounds of `total` events each: the cores here are shared with other machines'
            // work and a run's rate moves by a tenth or more from minute to minute; the median is reported
            ArrayNode rounds = r.putArray("webhook_rounds");
            List<Double> rates = new ArrayList<>();
            long bytes = 0;
            for (int round = 0; round < ROUNDS; round++) {
                List<byte[]> posts = new ArrayList<>();
                bytes = 0;
                for (int i = 0; i < total / PER_POST; i++) {
                    byte[] b = body("r" + round + "p" + i, i * PER_POST, PER_POST);
                    bytes += b.length;
                    posts.add(b);
                }
                // signed up front (SendGrid's work, not the hub's); a round takes far less than the 5-minute tolerance
                List<Signed> signed = signAll(keys, url, posts);
                posts = null;
                System.gc(); // the bodies' garbage is not the hub's
                ObjectNode one = rounds.addObject();
                ThreadCpu cpu = ThreadCpu.start();
                long t0 = System.nanoTime();
                send(url, signed, senders);
                double seconds = (System.nanoTime() - t0) / 1e9;
                cpu.stop(one, "threads");
                one.put("seconds", round(seconds));
                one.put("events_per_second", Math.round(total / seconds));
                rates.add(total / seconds);
                System.out.printf("webhook round %d: %,.0f events/s%n", round + 1, total / seconds);
            }
            long expected = (long) total * ROUNDS + (long) warm * PER_POST;
            long stored = hub.capture().warehouse().query("sendgrid", c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM "
                        + hub.capture().warehouse().tableName("sendgrid", EventTables.ACTIVITY))) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            if (stored != expected) {
                throw new IllegalStateException("the warehouse holds " + stored + " events, expected " + expected);
            }
            rates.sort(null);
            r.put("warehouse", hub.capture().warehouse().describe().startsWith("SQLite") ? "SQLite (WAL, synchronous=FULL)" : "PostgreSQL");
            r.put("post_bytes_avg", bytes / (total / PER_POST));
            r.put("webhook_events_per_second", Math.round(rates.get(rates.size() / 2)));
            r.put("webhook_events_per_second_min", Math.round(rates.get(0)));
            r.put("webhook_events_per_second_max", Math.round(rates.get(rates.size() - 1)));
            r.put("warehouse_events_after", stored);
        }
    }

    /** Sends rounds of posts until the JIT has settled; returns how many posts were sent. */
    private static int warmUp(URI url, KeyPair keys, int senders) throws Exception {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        int sent = 0;
        while (sent < MAX_WARM_POSTS) {
            List<byte[]> round = new ArrayList<>();
            for (int i = 0; i < WARM_ROUND; i++) {
                round.add(body("warm" + (sent + i), (sent + i) * PER_POST, PER_POST));
            }
            List<Signed> signed = signAll(keys, url, round);
            long compiled = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            send(url, signed, senders);
            double share = (jit.getTotalCompilationTime() - compiled) / ((System.nanoTime() - t0) / 1e6);
            sent += WARM_ROUND;
            System.out.printf("warm-up: %d posts, compiling %.0f%% of the round%n", sent, share * 100);
            if (share < 0.05) {
                break;
            }
        }
        return sent;
    }

    /** A whole signed HTTP request, as SendGrid would send it. */
    private record Signed(byte[] request) {}

    private static List<Signed> signAll(KeyPair keys, URI url, List<byte[]> posts) throws Exception {
        String ts = Long.toString(Instant.now().getEpochSecond());
        List<Signed> out = new ArrayList<>();
        for (byte[] b : posts) {
            out.add(new Signed(RawHttpSender.post(url.getHost() + ":" + url.getPort(), url.getPath(), Map.of(
                    "Content-Type", "application/json",
                    "X-Twilio-Email-Event-Webhook-Timestamp", ts,
                    "X-Twilio-Email-Event-Webhook-Signature", sign(keys, ts, b)), b)));
        }
        return out;
    }

    /** {@code senders} threads, each on its own connection, each sending its next post once the last is answered. */
    private static void send(URI url, List<Signed> posts, int senders) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int s = 0; s < senders; s++) {
            Thread t = new Thread(() -> {
                try (RawHttpSender http = new RawHttpSender(url)) {
                    int i;
                    while ((i = next.getAndIncrement()) < posts.size()) {
                        RawHttpSender.Answer answer = http.send(posts.get(i).request());
                        if (answer.status() != 200) {
                            throw new IllegalStateException("post answered " + answer.status() + ": " + answer.body());
                        }
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            }, "sender-" + s);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** The same rows through the warehouse's appendNew (de-duplicated, fast path), no HTTP, one transaction per 20,000. */
    private static void direct(ObjectNode r, Warehouse w, int total) {
        Map<EventType, List<Object[]>> rows = rows(total);
        for (WarehouseTable t : EventTables.all()) {
            w.ensure("sendgrid", t);
        }
        long t0 = System.nanoTime();
        for (int from = 0; from < total; from += RAW_CHUNK) {
            int lo = from;
            w.transaction("sendgrid", tx -> {
                for (Map.Entry<EventType, List<Object[]>> e : rows.entrySet()) {
                    List<Object[]> all = e.getValue();
                    tx.appendNew(EventTables.table(e.getKey()), slice(all, lo, total));
                }
                return null;
            });
        }
        r.put("warehouse_append_events_per_second", Math.round(total / ((System.nanoTime() - t0) / 1e9)));
    }

    /** SQLite's own rate: plain batched prepared INSERTs (no ON CONFLICT), same pragmas, same tables and keys. */
    private static void rawSqlite(ObjectNode r, Path dir, int total) throws Exception {
        try (Warehouse w = Warehouse.sqlite(dir)) {
            EventTables.all().forEach(t -> w.ensure("raw", t));
        }
        Map<EventType, List<Object[]>> rows = rows(total);
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "FULL");
        p.setProperty("cache_size", "-65536");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("raw.db"), p)) {
            c.setAutoCommit(false);
            Map<EventType, PreparedStatement> inserts = new EnumMap<>(EventType.class);
            for (EventType t : rows.keySet()) {
                WarehouseTable table = EventTables.table(t);
                inserts.put(t, c.prepareStatement("INSERT INTO \"" + table.name() + "\" VALUES (" + "?,".repeat(table.width() - 1) + "?)"));
            }
            long t0 = System.nanoTime();
            for (int from = 0; from < total; from += RAW_CHUNK) {
                for (Map.Entry<EventType, List<Object[]>> e : rows.entrySet()) {
                    List<Object[]> all = e.getValue();
                    WarehouseTable table = EventTables.table(e.getKey());
                    PreparedStatement ps = inserts.get(e.getKey());
                    for (Object[] row : slice(all, from, total)) {
                        for (int i = 0; i < row.length; i++) {
                            Object v = row[i];
                            ColumnType type = table.columns().get(i).type();
                            ps.setObject(i + 1, v == null ? null : type == ColumnType.TIMESTAMP ? v.toString()
                                    : type == ColumnType.BOOLEAN ? (((Boolean) v) ? 1 : 0) : v);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            }
            r.put("raw_insert_events_per_second", Math.round(total / ((System.nanoTime() - t0) / 1e9)));
            r.put("raw_insert", "batched prepared INSERTs without conflict handling, one transaction per 20,000 rows, one thread");
        }
    }

    /** PostgreSQL's own rate: COPY straight into the tables, one transaction per 20,000 rows. */
    private static void rawPostgres(ObjectNode r, String url, int total) throws Exception {
        try (Warehouse w = Warehouse.open(url, "postgres", null, Path.of("."))) {
            EventTables.all().forEach(t -> w.ensure("raw", t));
        }
        Map<EventType, List<Object[]>> rows = rows(total);
        try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            for (int from = 0; from < total; from += RAW_CHUNK) {
                for (Map.Entry<EventType, List<Object[]>> e : rows.entrySet()) {
                    List<Object[]> all = e.getValue();
                    WarehouseTable table = EventTables.table(e.getKey());
                    StringBuilder sb = new StringBuilder();
                    for (Object[] row : slice(all, from, total)) {
                        for (int i = 0; i < row.length; i++) {
                            sb.append(i == 0 ? "" : "\t").append(row[i] == null ? "\\N" : row[i].toString().replace("\\", "\\\\"));
                        }
                        sb.append('\n');
                    }
                    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY raw.\"" + table.name() + "\" FROM STDIN");
                    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                    in.writeToCopy(b, 0, b.length);
                    in.endCopy();
                }
                c.commit();
            }
            r.put("raw_insert_events_per_second", Math.round(total / ((System.nanoTime() - t0) / 1e9)));
            r.put("raw_insert", "COPY into the tables without conflict handling, one transaction per 20,000 rows, one thread");
        }
    }

    /** The part of one type's rows that belongs to the chunk starting at event {@code from}. */
    private static List<Object[]> slice(List<Object[]> all, int from, int total) {
        int lo = (int) Math.min(all.size(), (long) from * all.size() / total);
        int hi = (int) Math.min(all.size(), (long) (from + RAW_CHUNK) * all.size() / total);
        return all.subList(lo, hi);
    }

    // ------------------------------------------------------------------ the events

    private static String type(int i) {
        return MIX[i % MIX.length].eventName;
    }

    /** A JSON array of {@code n} events as SendGrid frames it (one per line, CRLF), ids from {@code prefix}. */
    static byte[] body(String prefix, int first, int n) {
        StringBuilder sb = new StringBuilder(n * 420).append('[');
        for (int i = first; i < first + n; i++) {
            if (i > first) {
                sb.append(",\r\n");
            }
            event(sb, prefix + "-" + i, i);
        }
        return sb.append("]\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void event(StringBuilder sb, String id, int i) {
        String type = type(i);
        String msg = "m" + Integer.toHexString(i / 7) + "aBcDeFgHiJkLmN";
        sb.append("{\"email\":\"person").append(i / 7).append("@example.com\",\"timestamp\":").append(1_700_000_000L + i)
                .append(",\"smtp-id\":\"<").append(msg).append("@ismtpd0001p1iad2.sendgrid.net>\",\"event\":\"").append(type)
                .append("\",\"category\":[\"newsletter\",\"2024-05\"],\"sg_event_id\":\"").append(eventId(type, id, msg))
                .append("\",\"sg_message_id\":\"").append(msg).append(".filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\"")
                .append(",\"sg_template_id\":\"d-2c214ac919e84170b21855cc129b4a5f\",\"campaign\":\"spring\",\"user_id\":\"u")
                .append(i / 7).append('"');
        switch (type) {
            case "delivered" -> sb.append(",\"ip\":\"198.51.100.10\",\"response\":\"250 2.0.0 OK\",\"tls\":1");
            case "deferred" -> sb.append(",\"ip\":\"198.51.100.10\",\"response\":\"421 try later\",\"attempt\":\"1\",\"tls\":1");
            case "bounce" -> sb.append(",\"ip\":\"198.51.100.10\",\"reason\":\"550 5.1.1 no such user\",\"status\":\"5.1.1\","
                    + "\"type\":\"bounce\",\"bounce_classification\":\"Invalid Address\",\"tls\":1");
            case "dropped" -> sb.append(",\"reason\":\"Bounced Address\"");
            case "open" -> sb.append(",\"useragent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\",\"ip\":\"203.0.113.7\",\"sg_machine_open\":false");
            case "click" -> sb.append(",\"useragent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\",\"ip\":\"203.0.113.7\","
                    + "\"url\":\"https://shop.example/spring?utm_source=newsletter\",\"url_offset\":{\"index\":0,\"type\":\"html\"}");
            case "processed" -> sb.append(",\"send_at\":0");
            case "group_unsubscribe", "group_resubscribe" -> sb.append(",\"asm_group_id\":7,\"useragent\":\"Mozilla/5.0\",\"ip\":\"203.0.113.7\"");
            default -> { }
        }
        sb.append('}');
    }

    /** The same events as warehouse rows (what the parser makes of them), for the loads without HTTP. */
    private static Map<EventType, List<Object[]>> rows(int total) {
        Map<EventType, List<Object[]>> out = new EnumMap<>(EventType.class);
        Instant received = Instant.now();
        for (int i = 0; i < total; i++) {
            EventType t = MIX[i % MIX.length];
            WarehouseTable table = EventTables.table(t);
            Object[] row = table.row();
            Map<String, Object> v = new HashMap<>();
            String msg = "m" + Integer.toHexString(i / 7) + "aBcDeFgHiJkLmN";
            v.put("sg_event_id", eventId(t.eventName, "raw-" + i, msg));
            v.put("event", t.eventName);
            v.put("email", "person" + (i / 7) + "@example.com");
            v.put("timestamp", Instant.ofEpochSecond(1_700_000_000L + i));
            v.put("smtp_id", "<" + msg + "@ismtpd0001p1iad2.sendgrid.net>");
            v.put("sg_message_id", msg + ".filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0");
            v.put("category", "[\"newsletter\",\"2024-05\"]");
            v.put("sg_template_id", "d-2c214ac919e84170b21855cc129b4a5f");
            v.put("custom_args", "{\"campaign\":\"spring\",\"user_id\":\"u" + (i / 7) + "\"}");
            v.put("received_at", received);
            v.put("ip", "198.51.100.10");
            v.put("response", "250 2.0.0 OK");
            v.put("tls", 1L);
            v.put("useragent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
            v.put("url", "https://shop.example/spring?utm_source=newsletter");
            v.put("reason", "550 5.1.1 no such user");
            v.put("status", "5.1.1");
            v.put("sg_machine_open", Boolean.FALSE);
            v.put("send_at", 0L);
            for (int c = 0; c < table.width(); c++) {
                row[c] = v.get(table.columns().get(c).name());
            }
            out.computeIfAbsent(t, k -> new ArrayList<>()).add(row);
        }
        return out;
    }

    /** Shaped like SendGrid's: base64 of type, a counter and the message id (so ids of one type sort roughly by time). */
    private static String eventId(String type, String counter, String msg) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((type + "-" + counter + "-" + msg + "-0")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String sign(KeyPair keys, String ts, byte[] body) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keys.getPrivate());
        s.update(ts.getBytes(StandardCharsets.UTF_8));
        s.update(body);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
