package io.gridsync.server.http;

import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.WebhookSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, "runs for months": every input is bounded before it costs much, and slow clients do
 * not starve the others. The real hub over HTTP, on SQLite; clients are raw sockets where the test
 * needs to send headers without a body, or a body that never ends.
 */
class InputBoundsTest {

    private static final long HUNDRED_MB = 100L * 1024 * 1024;

    @TempDir
    Path dir;
    Hub hub;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0));
    }

    @AfterEach
    void stop() {
        sockets.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
        });
        hub.close();
    }

    @Test
    void aHundredMegabyteChunkedWebhookBodyIsRefusedWhileItStreams() throws Exception {
        Socket s = socket();
        OutputStream out = s.getOutputStream();
        out.write(("POST /v1/webhooks/sendgrid HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        AtomicLong sent = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        long allocatedBefore = allocatedBytes();
        // the body comes from a generator: one 64 KB chunk, written again and again, never held whole
        Thread sender = new Thread(() -> {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            chunk[0] = '[';
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
            try {
                while (sent.get() < HUNDRED_MB) {
                    out.write(head);
                    out.write(chunk);
                    out.write(crlf);
                    sent.addAndGet(chunk.length);
                    chunk[0] = ' ';
                    // a fast client (about 50 MB/s), not loopback's GB/s: what was sent then says how far the hub read
                    Thread.sleep(1);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                finished.set(true);
            } catch (IOException cut) {
                // the hub closed the connection: what we want
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hundred-mb-sender");
        sender.start();

        String answer = readAnswer(s.getInputStream());
        long sentWhenAnswered = sent.get();
        sender.join(Duration.ofSeconds(30).toMillis());
        long allocated = allocatedBytes() - allocatedBefore;

        assertThat(answer).startsWith("HTTP/1.1 413").contains("8 MB");
        assertThat(sentWhenAnswered).as("bytes sent when the 413 came").isLessThan(HUNDRED_MB / 4);
        assertThat(finished).as("the client could send the whole body").isFalse();
        assertThat(sent.get()).as("bytes sent when the connection was cut").isLessThan(HUNDRED_MB / 2);
        assertThat(sender.isAlive()).as("the connection was not cut").isFalse();
        // reading the body whole would allocate at least its 100 MB; the hub reads 8 MB and stops
        assertThat(allocated).as("bytes allocated by this JVM's threads during the post").isLessThan(HUNDRED_MB / 2);
        assertThat(BodyReader.buffered()).as("bytes still reserved for bodies being received").isZero();
    }

    @Test
    void twoMillionItemsThatAreNotEventsAreOneRefusalAndOneQuarantineRow() throws Exception {
        StringBuilder body = new StringBuilder(4_000_002).append('[');
        for (int i = 0; i < 2_000_000; i++) {
            body.append(i == 0 ? "1" : ",1");
        }
        body.append(']');
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/webhooks/sendgrid"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("not events").contains("_quarantine");
        assertThat(count("_quarantine")).isEqualTo(1);
        String kept = text("SELECT body FROM " + hub.warehouse().tableName("sendgrid", "_quarantine"));
        assertThat(kept.length()).as("the quarantined sample").isLessThan(70 * 1024);
        assertThat(kept).contains("bytes in all");
        assertThat(text("SELECT reason FROM " + hub.warehouse().tableName("sendgrid", "_quarantine"))).contains("not an event object");

        // the item cap holds for objects too: 10,001 of them are refused whole
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= 10_000; i++) {
            many.append(i == 0 ? "" : ",").append("{\"event\":\"open\",\"sg_event_id\":\"e").append(i).append("\"}");
        }
        HttpResponse<String> tooMany = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/webhooks/sendgrid"))
                .POST(HttpRequest.BodyPublishers.ofString(many.append(']').toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("more than 10000 items");
        assertThat(count("_quarantine")).isEqualTo(2);
        assertThat(count("_open")).isZero();
    }

    @Test
    void aWrongHeaderKeyOrAMissingSignatureIsRefusedBeforeTheBodyIsSent() throws Exception {
        String wrong = Base64.getEncoder().encodeToString("not-a-key:".getBytes(StandardCharsets.UTF_8));
        Socket track = socket();
        track.getOutputStream().write(("POST /v1/track HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Basic " + wrong + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        // no body follows, ever: the answer must come anyway, and the connection is closed rather than read on
        assertThat(readAnswer(track.getInputStream())).startsWith("HTTP/1.1 401").contains("not known").contains("Connection: close");
        assertThat(track.getInputStream().read()).as("end of the connection").isEqualTo(-1);

        String key = new WebhookSigner().publicKey();
        HttpResponse<String> source = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/sources/signed"))
                .header("Authorization", "Bearer " + hub.adminToken())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"webhook_public_key\":\"" + key + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(source.statusCode()).as(source.body()).isBetween(200, 201);
        Socket webhook = socket();
        webhook.getOutputStream().write(("POST /v1/webhooks/sendgrid/signed HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readAnswer(webhook.getInputStream())).startsWith("HTTP/1.1 401").contains("X-Twilio-Email-Event-Webhook-Signature");
    }

    @Test
    void clientsThatAskToContinueFirstAreStillServed() throws Exception {
        // curl and others send "Expect: 100-continue" for larger bodies; the non-blocking read must answer it
        String basic = Base64.getEncoder().encodeToString((hub.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> batch = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/batch")).expectContinue(true)
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"batch\":[{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\",\"properties\":{\"pad\":\""
                        + "x".repeat(4000) + "\"}}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        HttpResponse<String> webhook = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/webhooks/sendgrid")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("[{\"event\":\"open\",\"sg_event_id\":\"c1\",\"email\":\"a@x.io\",\"timestamp\":1700000000}]"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(200);
        assertThat(count("_open")).isEqualTo(1);
    }

    @Test
    void everyOtherRouteHasTheBodyCeilingToo() throws Exception {
        // an admin route reads its body the ordinary way; the ceiling still stops a chunked body at 8 MB
        Socket s = socket();
        OutputStream out = s.getOutputStream();
        out.write(("PUT /v1/admin/sources/eu HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + hub.adminToken() + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        Thread sender = sendChunked(out, 32); // 32 MB, if it were all read
        assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 413").contains("8 MB");
        s.close();
        sender.join(30_000);

        // a route reading ctx.body() without a guard of its own is stopped the same way
        Socket replay = socket();
        OutputStream replayOut = replay.getOutputStream();
        replayOut.write(("POST /v1/admin/dead-letters/replay HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + hub.adminToken() + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        Thread replaySender = sendChunked(replayOut, 32);
        assertThat(readAnswer(replay.getInputStream())).startsWith("HTTP/1.1 413").contains("8 MB");
        replay.close();
        replaySender.join(30_000);

        // a declared Content-Length over it is refused before any handler runs
        Socket declared = socket();
        declared.getOutputStream().write(("POST /v1/admin/integrations HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9000000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readAnswer(declared.getInputStream())).startsWith("HTTP/1.1 413").contains("8 MB");
    }

    @Test
    void sixHundredClientsSendingAByteEveryTwoSecondsAreDroppedAndDoNotStopOthers() throws Exception {
        try (SlowClients slow = new SlowClients(600, "/v1/track", 1, 4000)) {
            Thread.sleep(1000); // every slow request is in the hub's hands before the others come
            othersAreAnswered();
            // below Jetty's minimum data rate: each is answered 408 and dropped, a few seconds in
            for (Socket a : slow.sockets) {
                assertThat(readAnswer(a.getInputStream())).startsWith("HTTP/1.1 408");
            }
        }
    }

    @Test
    void sixHundredBodiesTrickledAboveTheMinimumRateHoldNoThreads() throws Exception {
        // 4 KB a second is well above the 1 KB/s floor (on a busy machine too), and 200 KB takes 50 s: more open requests than threads
        try (SlowClients slow = new SlowClients(600, "/v1/batch", 4096, 200_000)) {
            Thread.sleep(1000);
            othersAreAnswered();
            int open = 0;
            String answered = "";
            for (Socket a : slow.sockets) {
                if (a.getInputStream().available() == 0) {
                    open++; // no answer yet: its request is still open
                } else {
                    answered = readAnswer(a.getInputStream());
                }
            }
            assertThat(open).as("slow requests still open while the others were answered; one answered: " + answered
                            + "; failed writes: " + slow.failedWrites.get())
                    .isGreaterThan(HttpLimits.MAX_THREADS);
        }
    }

    /** Another client's /v1/track and /healthz are answered (how fast is not the point: the machine is shared). */
    private void othersAreAnswered() throws Exception {
        String basic = Base64.getEncoder().encodeToString((hub.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> track = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/track"))
                    .timeout(Duration.ofSeconds(20)).header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u" + i + "\",\"event\":\"Tested\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(track.statusCode()).as(track.body()).isEqualTo(200);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/healthz"))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        }
    }

    /** Half to a collection route (no Authorization: the body may hold the write key), half to the webhook, each sending a little every second. */
    private final class SlowClients implements AutoCloseable {
        final List<Socket> sockets = new ArrayList<>();
        final AtomicLong failedWrites = new AtomicLong();
        private final AtomicBoolean sending = new AtomicBoolean(true);
        private final Thread trickle;

        SlowClients(int count, String collectionPath, int bytesPerSecond, int declared) throws IOException {
            List<OutputStream> outs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Socket s = socket();
                sockets.add(s);
                OutputStream out = s.getOutputStream();
                String path = i % 2 == 0 ? collectionPath : "/v1/webhooks/sendgrid";
                out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                        + declared + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                outs.add(out);
            }
            byte[] piece = new byte[bytesPerSecond];
            Arrays.fill(piece, (byte) ' ');
            trickle = new Thread(() -> {
                long sent = 1;
                while (sending.get() && sent + piece.length < declared) {
                    for (OutputStream out : outs) {
                        try {
                            out.write(piece);
                            out.flush();
                        } catch (IOException cut) {
                            failedWrites.incrementAndGet(); // the hub dropped this one
                        }
                    }
                    sent += piece.length;
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "trickle");
            trickle.start();
        }

        @Override
        public void close() throws InterruptedException {
            sending.set(false);
            trickle.interrupt();
            trickle.join(10_000);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Sends {@code megabytes} of spaces as 64 KB chunks on a thread of its own, until done or cut. */
    private static Thread sendChunked(OutputStream out, int megabytes) {
        Thread sender = new Thread(() -> {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            try {
                for (int i = 0; i < megabytes * 16; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException cut) {
                // the hub closed the connection
            }
        }, "chunked-sender");
        sender.start();
        return sender;
    }

    private Socket socket() throws IOException {
        URI base = URI.create(hub.baseUrl());
        Socket s = new Socket(base.getHost(), base.getPort());
        s.setSoTimeout(30_000); // a missing answer fails the test instead of hanging it
        sockets.add(s);
        return s;
    }

    /** The status line, headers and whatever of the body has come, up to the end of the answer or of the connection. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) > 0) {
                got.write(buf, 0, n);
                String text = got.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && complete(text, end + 4)) {
                    break;
                }
            }
        } catch (java.net.SocketException reset) {
            // the hub may reset the connection right after its answer; what came before counts
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static boolean complete(String text, int bodyStart) {
        String head = text.substring(0, bodyStart).toLowerCase();
        int cl = head.indexOf("content-length:");
        if (cl < 0) {
            return text.endsWith("0\r\n\r\n") || text.length() > bodyStart;
        }
        int len = Integer.parseInt(head.substring(cl + 15, head.indexOf("\r\n", cl)).trim());
        return text.length() - bodyStart >= len;
    }

    /** Bytes allocated so far by the JVM's live threads (the hub runs in this JVM). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(a, 0);
        }
        return total;
    }

    private long count(String table) {
        return hub.warehouse().query("sendgrid", c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + hub.warehouse().tableName("sendgrid", table))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private String text(String sql) {
        return hub.warehouse().query("sendgrid", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }
}
