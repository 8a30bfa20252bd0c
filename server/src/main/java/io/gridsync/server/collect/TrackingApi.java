package io.gridsync.server.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.cors.Cors;
import io.gridsync.server.http.ClientAddress;
import io.gridsync.server.http.ConnectionCut;
import io.gridsync.server.journal.Appended;
import io.gridsync.server.journal.Journal;
import io.gridsync.server.journal.JournalFullException;
import io.gridsync.server.journal.RawMessage;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.gridsync.server.health.LogEvery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Segment-compatible tracking API: {@code POST /v1/identify|track|page|screen|group|alias}
 * (one message) and {@code /v1/batch|import} (many), and analytics.js's short forms of them
 * ({@code /v1/i|t|p|s|g|a}, {@code /v1/b}), whatever the Content-Type, with CORS for browsers.
 * A 200 {@code {"success":true}} is sent only after the journal has committed the messages.
 * Rules and limits: docs/collect.md.
 */
public final class TrackingApi {

    private static final Logger log = LoggerFactory.getLogger(TrackingApi.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SUCCESS = "{\"success\":true}";
    /** While the store fails every request does: one line a minute says so, with the count. */
    private static final LogEvery NOT_STORED = new LogEvery(java.time.Duration.ofMinutes(1));
    /** Seconds a client should wait after a 503 before sending again. */
    static final String RETRY_AFTER_SECONDS = "1";
    /** analytics.js posts each call to the first letter of its type, and batches to /v1/b. */
    private static final Map<String, String> SHORT_ROUTES = Map.of("i", "identify", "t", "track", "p", "page", "s", "screen",
            "g", "group", "a", "alias");

    private final Journal journal;
    private final WriteKeys writeKeys;
    private final CollectMetrics metrics;
    private final BodyParser parser = new BodyParser(MAPPER);
    private final SenderChecks senders;
    private final ClientAddress clientAddress;
    private final Clock clock;

    /** Messages of erased people (erasure.Suppression): acknowledged and not stored. */
    private final java.util.function.Predicate<RawMessage> erased;

    /** Without rate limits or proxies (tests, the benchmark's baseline). */
    public TrackingApi(Journal journal, WriteKeys writeKeys, MeterRegistry registry) {
        this(journal, writeKeys, registry, m -> false, CollectSettings.defaults().withRateLimits(0, 0), Clock.systemUTC());
    }

    public TrackingApi(Journal journal, WriteKeys writeKeys, MeterRegistry registry, java.util.function.Predicate<RawMessage> erased,
                       CollectSettings settings, Clock clock) {
        this.journal = journal;
        this.writeKeys = writeKeys;
        this.metrics = new CollectMetrics(registry);
        this.erased = erased;
        this.senders = new SenderChecks(writeKeys, settings, clock);
        this.clientAddress = ClientAddress.trusting(settings.trustedProxies());
        this.clock = clock;
    }

    public void register(Javalin app) {
        boolean slashMatters = !app.unsafeConfig().router.ignoreTrailingSlashes;
        for (String type : MessageRules.TYPES) {
            route(app, "/v1/" + type, ctx -> single(ctx, type), slashMatters);
        }
        SHORT_ROUTES.forEach((letter, type) -> route(app, "/v1/" + letter, ctx -> single(ctx, type), slashMatters));
        route(app, "/v1/batch", this::batch, slashMatters);
        route(app, "/v1/import", this::batch, slashMatters);
        route(app, "/v1/b", this::batch, slashMatters);
    }

    private static void route(Javalin app, String path, io.javalin.http.Handler handler, boolean slashMatters) {
        app.post(path, handler);
        app.options(path, ctx -> Cors.preflight(ctx, "POST, OPTIONS"));
        if (slashMatters) {
            app.post(path + "/", handler); // analytics-java posts to /v1/import/
            app.options(path + "/", ctx -> Cors.preflight(ctx, "POST, OPTIONS"));
        }
    }

    private void single(Context ctx, String pathType) {
        receive(ctx, MessageRules.MAX_MESSAGE_BYTES, RejectReason.MESSAGE_TOO_LARGE,
                "the message is over 32 KB (" + MessageRules.MAX_MESSAGE_BYTES + " bytes); send smaller traits or properties",
                (body, sender) -> {
                    ScannedMessage m = parser.single(body);
                    String key = key(sender, bodyKey(m.fields()));
                    return new Request(key, List.of(MessagePreparer.single(MAPPER, pathType, sender.enrichment()).prepare(m, "")),
                            sender.enrichment().receivedAt());
                });
    }

    private void batch(Context ctx) {
        receive(ctx, MessageRules.MAX_BATCH_BYTES, RejectReason.BATCH_TOO_LARGE,
                "the batch is over 500 KB (" + MessageRules.MAX_BATCH_BYTES + " bytes); send it in smaller batches",
                (body, sender) -> {
                    ParsedBatch b = parser.batch(body);
                    String key = key(sender, bodyKey(b.envelope()));
                    MessagePreparer preparer = MessagePreparer.batch(MAPPER, b.envelope(), sender.enrichment());
                    List<RawMessage> messages = new ArrayList<>(b.items().size());
                    for (int i = 0; i < b.items().size(); i++) {
                        messages.add(preparer.prepare(b.items().get(i), "batch[" + i + "]"));
                    }
                    return new Request(key, messages, sender.enrichment().receivedAt());
                });
    }

    private record Request(String writeKey, List<RawMessage> messages, long receivedAt) {}

    /** Reads the checked request from its body. */
    private interface RequestReader {
        Request read(byte[] body, Sender sender);
    }

    /**
     * Who sent the request: the header's write key (already checked) or null, the page's origin
     * (null from a server), and what the hub adds to each message.
     */
    private record Sender(String headerKey, String origin, Enrichment enrichment) {}

    /** The header's key, else the body's, checked in full. */
    private String key(Sender sender, String bodyKey) {
        if (sender.headerKey() != null) {
            return sender.headerKey();
        }
        String key = authorize(bodyKey);
        senders.key(key, sender.origin());
        return key;
    }

    /**
     * Checks what the headers allow before any of the body is read (a wrong Authorization header is
     * 401 at once), then reads the body without holding a thread, checks it, appends it, and
     * answers once the commit holding it is done.
     */
    private void receive(Context ctx, int limit, RejectReason tooLarge, String tooLargeMessage, RequestReader reader) {
        Sender sender;
        try {
            Cors.allow(ctx); // refusals too: the page's script may read why
            String client = clientAddress.of(ctx);
            senders.client(client);
            String origin = Cors.origin(ctx);
            String headerKey = basicKey(ctx);
            if (headerKey != null) {
                authorize(headerKey);
                senders.key(headerKey, origin);
            }
            sender = new Sender(headerKey, origin, new Enrichment(client, clock.millis()));
        } catch (Rejection r) {
            ConnectionCut.ifBodyLeft(ctx.req(), ctx.res()); // the body is not read
            reject(ctx, r);
            return;
        }
        ctx.future(() -> RequestBodies.read(ctx, limit, tooLarge, tooLargeMessage)
                .thenCompose(body -> store(ctx, reader.read(body, sender)))
                .exceptionally(error -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof Rejection r) {
                        if (r.status == 413 || r.status == 408 || r.reason == RejectReason.UNSUPPORTED_ENCODING) {
                            ConnectionCut.afterAnswer(ctx.req(), ctx.res()); // the rest of the body is not read
                        }
                        if (r.status == 503) {
                            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
                        }
                        reject(ctx, r);
                    } else {
                        log.warn("tracking request failed", cause);
                        unavailable(ctx, RejectReason.UNAVAILABLE, "the messages could not be stored; retry shortly");
                    }
                    return null;
                }));
    }

    /** Appends the request and answers once the commit holding it is done. */
    private CompletableFuture<Void> store(Context ctx, Request request) {
        long start = System.nanoTime();
        CompletableFuture<Appended> appended;
        List<RawMessage> kept = request.messages().stream().filter(erased.negate()).toList();
        if (kept.isEmpty()) {
            ctx.status(200).contentType("application/json").result(SUCCESS); // an erased person's: acknowledged, not kept
            return CompletableFuture.completedFuture(null);
        }
        try {
            appended = journal.appendRaw(request.writeKey(), kept, request.receivedAt());
        } catch (JournalFullException e) {
            unavailable(ctx, RejectReason.BUSY, e.getMessage());
            return CompletableFuture.completedFuture(null);
        } catch (IllegalStateException e) {
            unavailable(ctx, RejectReason.UNAVAILABLE, "the hub is shutting down; retry shortly");
            return CompletableFuture.completedFuture(null);
        }
        return appended.handle((a, error) -> {
            if (error == null) {
                metrics.stored(a.accepted(), a.duplicates(), System.nanoTime() - start);
                ctx.status(200).contentType("application/json").result(SUCCESS);
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                long n = NOT_STORED.tick("not stored");
                if (n > 0) {
                    log.warn("{} not stored, the clients were asked to retry: {}",
                            n == 1 ? "a request's messages were" : "the messages of " + n + " requests were", cause.getMessage());
                }
                unavailable(ctx, RejectReason.UNAVAILABLE, "the messages could not be stored; retry shortly");
            }
            return null;
        });
    }

    private void unavailable(Context ctx, RejectReason reason, String message) {
        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        reject(ctx, 503, reason, message);
    }

    private void reject(Context ctx, Rejection r) {
        if (r.retryAfterSeconds > 0) {
            ctx.header("Retry-After", String.valueOf(r.retryAfterSeconds));
        }
        reject(ctx, r.status, r.reason, r.getMessage());
    }

    private void reject(Context ctx, int status, RejectReason reason, String message) {
        metrics.rejected(reason);
        ObjectNode body = MAPPER.createObjectNode().put("success", false).put("error", message);
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    private String authorize(String key) {
        if (key == null) {
            throw Rejection.unauthorized(RejectReason.MISSING_WRITE_KEY,
                    "no write key: send it as the HTTP Basic username or as \"writeKey\" in the body");
        }
        if (!writeKeys.isValid(key)) {
            throw Rejection.unauthorized(RejectReason.UNKNOWN_WRITE_KEY, "the write key is not known or was revoked");
        }
        return key;
    }

    /** The write key from {@code Authorization: Basic base64(key:)} (analytics.js, analytics-node); null without one. */
    private static String basicKey(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth == null || auth.isBlank()) {
            return null;
        }
        if (!auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw Rejection.unauthorized(RejectReason.MISSING_WRITE_KEY,
                    "the Authorization header must be HTTP Basic with the write key as the username");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Rejection.unauthorized(RejectReason.MISSING_WRITE_KEY, "the Authorization header is not valid base64");
        }
        int colon = decoded.indexOf(':');
        String user = colon >= 0 ? decoded.substring(0, colon) : decoded;
        return user.isEmpty() ? null : user;
    }

    /** The write key from {@code "writeKey"} in the body (analytics-java sends only that). */
    private static String bodyKey(ObjectNode body) {
        JsonNode k = body.get("writeKey");
        return k != null && k.isTextual() && !k.asText().isEmpty() ? k.asText() : null;
    }
}
