package io.gridsync.server.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.forward.Forwarder;
import io.gridsync.server.forward.Outbox;
import io.gridsync.server.forward.OutboxItem;
import io.gridsync.server.http.BodyReader;
import io.gridsync.server.http.BodyRefused;
import io.gridsync.server.http.ConcurrencyLimit;
import io.gridsync.server.http.ConnectionCut;
import io.gridsync.server.http.HttpLimits;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SendGrid's Event Webhook lands here: {@code POST /v1/webhooks/sendgrid} (the default source) and
 * {@code /v1/webhooks/sendgrid/{source}}. The signature is checked on the raw bytes when the source
 * has a key; the events are parsed once, committed to the warehouse (de-duplicated on
 * sg_event_id) and, when the source forwards, put in the outbox; only then is the post answered
 * 200. A body that is not a JSON array is answered 400 and kept in {@code _quarantine}.
 * Rules: docs/capture.md.
 */
public final class WebhookApi {

    private static final io.gridsync.server.health.LogEvery REFUSALS = new io.gridsync.server.health.LogEvery(java.time.Duration.ofMinutes(1));

    private static final Logger log = LoggerFactory.getLogger(WebhookApi.class);
    private static final ObjectMapper M = new ObjectMapper();
    /** Longer than any commit should take; SendGrid itself gives up on a post after about 10 s. */
    private static final long COMMIT_WAIT_SECONDS = 60;
    /** Posts parsed and committed at once: each holds a thread while its commit is awaited, and up to 8 MB. */
    static final int MAX_POSTS_AT_WORK = 8;
    static final int MAX_BODY_BYTES = HttpLimits.MAX_BODY_BYTES;

    private final WebhookSources sources;
    private final CaptureWriter writer;
    private final SignatureVerifier verifier;
    private final Outbox outbox;
    private final Forwarder forwarder;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final EventParser parser = new EventParser();
    private final ConcurrencyLimit atWork = new ConcurrencyLimit("webhook", MAX_POSTS_AT_WORK);

    WebhookApi(WebhookSources sources, CaptureWriter writer, SignatureVerifier verifier, Outbox outbox, Forwarder forwarder, Clock clock,
               MeterRegistry metrics) {
        this.sources = sources;
        this.writer = writer;
        this.verifier = verifier;
        this.outbox = outbox;
        this.forwarder = forwarder;
        this.clock = clock;
        this.metrics = metrics;
    }

    public void register(Javalin app) {
        app.post("/v1/webhooks/sendgrid", ctx -> handle(ctx, WebhookSources.DEFAULT));
        app.post("/v1/webhooks/sendgrid/{source}", ctx -> handle(ctx, ctx.pathParam("source")));
    }

    /**
     * What the headers allow is checked before any of the body is read (unknown source 404, a
     * verifying source without signature headers 401); the body is then read without holding a
     * thread, and at most {@link #MAX_POSTS_AT_WORK} posts are parsed and committed at once.
     */
    private void handle(Context ctx, String name) {
        WebhookSource source;
        try {
            source = sources.find(name).orElseThrow(() -> new WebhookRefusal(404, "there is no webhook source '" + name
                    + "'; create it with PUT /v1/admin/sources/" + name + " (or post to /v1/webhooks/sendgrid for the default source)",
                    "unknown_source"));
            if (source.verifies()) {
                SignatureVerifier.requireHeaders(ctx.header(SignatureVerifier.SIGNATURE_HEADER), ctx.header(SignatureVerifier.TIMESTAMP_HEADER));
            }
        } catch (WebhookRefusal r) {
            ConnectionCut.ifBodyLeft(ctx.req(), ctx.res()); // the body is not read
            refuse(ctx, name, r);
            return;
        }
        ctx.future(() -> BodyReader.read(ctx, MAX_BODY_BYTES).handle((body, error) -> {
            try {
                if (error != null) {
                    throw unread(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                }
                if (!atWork.tryEnter()) {
                    throw new WebhookRefusal(503, atWork.busyMessage(), "busy");
                }
                try {
                    receive(ctx, source, body);
                } finally {
                    atWork.leave();
                }
            } catch (WebhookRefusal r) {
                refuse(ctx, name, r);
            } catch (RuntimeException e) {
                log.warn("webhook post to source {} failed", name, e);
                refuse(ctx, name, new WebhookRefusal(503, "the events could not be stored; retry shortly", "unavailable"));
            }
            return null;
        }));
    }

    /** A body that was not read whole: too large, too slow, too many at once, or the client went away. */
    private static WebhookRefusal unread(Throwable error) {
        if (error instanceof BodyRefused b) {
            String reason = b.status == 413 ? "too_large" : b.status == 408 ? "too_slow" : "busy";
            String message = b.status == 413 ? "the body is over 8 MB (" + MAX_BODY_BYTES + " bytes); SendGrid's posts are far smaller"
                    : b.getMessage();
            return new WebhookRefusal(b.status, message, reason);
        }
        return new WebhookRefusal(400, "the body could not be read: " + error.getMessage(), "unreadable");
    }

    private void receive(Context ctx, WebhookSource source, byte[] body) {
        Instant now = clock.instant();
        if (source.verifies()) {
            verifier.check(source.publicKey(), ctx.header(SignatureVerifier.SIGNATURE_HEADER),
                    ctx.header(SignatureVerifier.TIMESTAMP_HEADER), body, now);
        }
        ParsedPost post;
        try {
            post = parser.parse(body, now, source.name(), source.verifies());
        } catch (MalformedBody m) {
            // one row however large or however many items the post had, with a sample of it
            Object[] row = EventParser.quarantineRow(now, source.name(), m.getMessage(), source.verifies(), EventParser.sample(body));
            await(writer.submit(source.schema(), new ParsedPost(new EnumMap<>(EventType.class), List.<Object[]>of(row), 0)));
            refused("malformed").increment();
            long n = REFUSALS.tick(source.name() + "|400|malformed");
            if (n > 0) {
                log.warn("{} webhook post(s) to source {} could not be read in the last minute (400, quarantined in {}._quarantine): {}",
                        n, source.name(), source.schema(), m.getMessage());
            }
            error(ctx, 400, m.getMessage() + "; the body was kept in the warehouse table " + source.schema() + "._quarantine");
            return;
        }
        post = withoutErased(post);
        await(writer.submit(source.schema(), post));
        if (source.forwarding() != null) {
            forward(source, post);
        }
        io.micrometer.core.instrument.Counter.builder("gridsync_webhook_events_received_total")
                .description("Event Webhook events received in posts that were stored (duplicates included)")
                .register(metrics).increment(post.events());
        if (!post.quarantine().isEmpty()) {
            io.micrometer.core.instrument.Counter.builder("gridsync_webhook_events_quarantined_total")
                    .description("Event Webhook items kept in _quarantine instead of an event table")
                    .register(metrics).increment(post.quarantine().size());
        }
        ObjectNode ok = M.createObjectNode().put("received", post.events());
        if (!post.quarantine().isEmpty()) {
            ok.put("quarantined", post.quarantine().size());
        }
        ctx.status(200).contentType("application/json").result(ok.toString());
    }

    private io.micrometer.core.instrument.Counter refused(String reason) {
        return io.micrometer.core.instrument.Counter.builder("gridsync_webhook_posts_refused_total")
                .description("Event Webhook posts answered with an error, by reason").tag("reason", reason).register(metrics);
    }

    private void refuse(Context ctx, String name, WebhookRefusal r) {
        refused(r.reason).increment();
        // SendGrid retries refused posts for 24 h: say it once a minute per source and reason, with the count
        long n = REFUSALS.tick(name + "|" + r.status + "|" + r.reason);
        if (n > 0) {
            log.warn("{} webhook post(s) to source {} refused in the last minute ({} {}): {}", n, name, r.status, r.reason,
                    r.getMessage());
        }
        if (r.status == 503) {
            ctx.header("Retry-After", "5");
        }
        if (r.status == 401) {
            ctx.header("WWW-Authenticate", "SendGrid-Signature");
        }
        if (r.status == 413 || r.status == 408) {
            ConnectionCut.afterAnswer(ctx.req(), ctx.res()); // the rest of the body is not read
        }
        error(ctx, r.status, r.getMessage());
    }

    /** Whether an email is an erased person's (erasure.Suppression); their events are acknowledged and not kept. */
    private volatile java.util.function.Predicate<String> erasedEmail = e -> false;

    void dropEventsOf(java.util.function.Predicate<String> erasedEmail) {
        this.erasedEmail = erasedEmail;
    }

    /** The post without the events of erased people (SendGrid may still send a late open or click of theirs). */
    private ParsedPost withoutErased(ParsedPost post) {
        java.util.function.Predicate<String> erased = erasedEmail;
        EnumMap<EventType, List<Object[]>> kept = new EnumMap<>(EventType.class);
        boolean dropped = false;
        for (Map.Entry<EventType, List<Object[]>> e : post.rows().entrySet()) {
            int email = EventTables.table(e.getKey()).indexOf("email");
            List<Object[]> rows = new ArrayList<>(e.getValue().size());
            for (Object[] row : e.getValue()) {
                if (email >= 0 && row[email] instanceof String address && erased.test(address)) {
                    dropped = true;
                } else {
                    rows.add(row);
                }
            }
            kept.put(e.getKey(), rows);
        }
        return dropped ? new ParsedPost(kept, post.quarantine(), post.events()) : post;
    }

    /** The source's forwardable events into the outbox, before the post is answered. */
    private void forward(WebhookSource source, ParsedPost post) {
        List<OutboxItem> items = new ArrayList<>();
        for (Map.Entry<EventType, List<Object[]>> e : post.rows().entrySet()) {
            if (EmailEvents.specName(e.getKey()) == null) {
                continue;
            }
            int id = EventTables.table(e.getKey()).indexOf("sg_event_id");
            for (Object[] row : e.getValue()) {
                items.add(new OutboxItem((String) row[id], EmailEvents.track(e.getKey(), row).toString()));
            }
        }
        try {
            if (outbox.add(source.name(), items) > 0) {
                forwarder.poke();
            }
        } catch (RuntimeException e) {
            log.warn("source {}: events stored but not queued for forwarding ({}); SendGrid will post them again", source.name(),
                    e.toString());
            throw new WebhookRefusal(503, "the events were stored but could not be queued for forwarding; retry shortly", "outbox");
        }
    }

    private static void await(CompletableFuture<Integer> stored) {
        try {
            stored.get(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.warn("webhook events not stored, the sender was asked to retry: {}", cause.toString());
            throw new WebhookRefusal(503, "the events could not be stored; retry shortly", "unavailable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookRefusal(503, "the hub is shutting down; retry shortly", "unavailable");
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(M.createObjectNode().put("error", message).toString());
    }
}
