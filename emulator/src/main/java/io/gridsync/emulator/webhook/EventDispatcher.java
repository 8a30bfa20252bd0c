package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts events to every enabled webhook that wants their type, as SendGrid does: events wait in one
 * batch per webhook until it is {@code flushMillis} old or holds {@code batchMaxEvents}; the batch is
 * POSTed as a JSON array, signed when the webhook is; a non-2xx answer or a connection error is retried
 * with the same body after {@code retryInitialMillis}, doubling up to {@code retryMaxMillis}, until
 * {@code giveUpMillis} have passed since the first attempt. Owns its scheduler and HTTP threads;
 * {@link #close()} stops them (batches still waiting are dropped, like any in-memory queue).
 */
public final class EventDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    /** Attempts kept for inspection; older ones are forgotten. */
    public static final int MAX_ATTEMPT_LOG = 10_000;
    /** How long one POST may take before it counts as failed (SendGrid waits a few seconds). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final String USER_AGENT = "SendGrid Event API";

    /** Timing of batching and retries; see {@code EmulatorConfig.webhook*}. */
    public record Timing(long flushMillis, int batchMaxEvents, long retryInitialMillis, long retryMaxMillis, long giveUpMillis) {
        public Timing {
            if (flushMillis < 0 || batchMaxEvents < 1 || retryInitialMillis < 1 || retryMaxMillis < retryInitialMillis || giveUpMillis < 0) {
                throw new IllegalArgumentException("webhook timing needs flush >= 0 ms, batch size >= 1, "
                        + "retry initial >= 1 ms, retry max >= retry initial and give-up >= 0 ms");
            }
        }
    }

    private final WebhookStore webhooks;
    private final Timing timing;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final AtomicLong batchIds = new AtomicLong();
    /** Events waiting per webhook id. */
    private final Map<String, List<ObjectNode>> pending = new LinkedHashMap<>();
    /** Batches waiting for their next attempt, by batch id. */
    private final Map<Long, Retry> retrying = new LinkedHashMap<>();
    private final Deque<DeliveryAttempt> attempts = new ArrayDeque<>();
    private volatile boolean closed;

    private record Retry(OutboundBatch batch, ScheduledFuture<?> future) {}

    public EventDispatcher(WebhookStore webhooks, Timing timing) {
        this.webhooks = webhooks;
        this.timing = timing;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("emulator-webhook-scheduler"));
        this.httpThreads = Executors.newCachedThreadPool(daemon("emulator-webhook-http"));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(httpThreads)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Queues events for every enabled webhook that posts their type. */
    public void publish(List<ObjectNode> events) {
        List<OutboundBatch> full = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            for (EventWebhook w : webhooks.all()) {
                for (ObjectNode e : events) {
                    if (!w.posts(EventType.byEventName(e.path("event").asText()))) {
                        continue;
                    }
                    List<ObjectNode> batch = pending.get(w.id());
                    if (batch == null) {
                        batch = new ArrayList<>();
                        pending.put(w.id(), batch);
                        List<ObjectNode> started = batch;
                        schedule(() -> flushIfStill(w.id(), started), timing.flushMillis());
                    }
                    batch.add(e);
                    if (batch.size() >= timing.batchMaxEvents()) {
                        pending.remove(w.id());
                        full.add(new OutboundBatch(batchIds.incrementAndGet(), w.id(), null, null, batch));
                    }
                }
            }
        }
        full.forEach(this::attempt);
    }

    /** Posts a batch once to {@code url}, signed with {@code key} when given (the settings test endpoint). */
    public void postOnce(String url, SigningKey key, List<ObjectNode> events) {
        attempt(new OutboundBatch(batchIds.incrementAndGet(), null, url, key, events));
    }

    /** What {@link #flushNow()} set off. */
    public record Flushed(int batches, int events) {}

    /** Posts every waiting batch now and runs every scheduled retry now. */
    public Flushed flushNow() {
        List<OutboundBatch> now = new ArrayList<>();
        synchronized (this) {
            pending.forEach((id, events) -> now.add(new OutboundBatch(batchIds.incrementAndGet(), id, null, null, events)));
            pending.clear();
            for (Retry r : retrying.values()) {
                if (r.future().cancel(false)) {
                    now.add(r.batch());
                }
            }
            retrying.clear();
        }
        now.forEach(this::attempt);
        return new Flushed(now.size(), now.stream().mapToInt(b -> b.events.size()).sum());
    }

    private void flushIfStill(String webhookId, List<ObjectNode> started) {
        OutboundBatch batch = null;
        synchronized (this) {
            if (pending.get(webhookId) == started) {
                pending.remove(webhookId);
                batch = new OutboundBatch(batchIds.incrementAndGet(), webhookId, null, null, started);
            }
        }
        if (batch != null) {
            attempt(batch);
        }
    }

    private void attempt(OutboundBatch batch) {
        if (closed) {
            return;
        }
        String url;
        SigningKey key;
        if (batch.isTest()) {
            url = batch.fixedUrl;
            key = batch.fixedKey;
        } else {
            EventWebhook w = webhooks.byId(batch.webhookId).orElse(null);
            if (w == null || !w.enabled()) {
                record(batch, w == null ? "" : w.url(), batch.attempts.get(), null,
                        w == null ? "the webhook was deleted; batch dropped" : "the webhook was disabled; batch dropped",
                        "dropped", false, null);
                return;
            }
            url = w.url();
            key = w.signingKey();
        }
        int attempt = batch.attempts.incrementAndGet();
        if (attempt == 1) {
            batch.firstAttemptAtMillis = System.currentTimeMillis();
        }
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body));
            if (key != null) {
                String timestamp = Long.toString(Instant.now().getEpochSecond());
                b.header(SigningKey.TIMESTAMP_HEADER, timestamp);
                b.header(SigningKey.SIGNATURE_HEADER, key.sign(timestamp, batch.body));
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            finished(batch, url, attempt, null, "invalid URL: " + e.getMessage(), key != null);
            return;
        }
        boolean signed = key != null;
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error != null) {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    finished(batch, url, attempt, null, cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), signed);
                } else {
                    finished(batch, url, attempt, response.statusCode(), null, signed);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("webhook delivery stopped: {}", e.toString());
        }
    }

    private void finished(OutboundBatch batch, String url, int attempt, Integer status, String error, boolean signed) {
        if (status != null && status >= 200 && status < 300) {
            record(batch, url, attempt, status, null, "delivered", signed, null);
            return;
        }
        if (batch.isTest()) {
            record(batch, url, attempt, status, error, "failed", signed, null);
            return;
        }
        long delay = retryDelay(attempt);
        long elapsed = System.currentTimeMillis() - batch.firstAttemptAtMillis;
        if (elapsed + delay > timing.giveUpMillis()) {
            record(batch, url, attempt, status, error, "gave_up", signed, null);
            log.warn("event webhook {}: gave up on batch {} ({} events) after {} attempts", url, batch.id, batch.events.size(), attempt);
            return;
        }
        record(batch, url, attempt, status, error, "retry_scheduled", signed, delay);
        synchronized (this) {
            if (closed) {
                return;
            }
            ScheduledFuture<?> f = schedule(() -> {
                boolean mine;
                synchronized (this) {
                    mine = retrying.remove(batch.id) != null;
                }
                if (mine) {
                    attempt(batch);
                }
            }, delay);
            if (f != null) {
                retrying.put(batch.id, new Retry(batch, f));
            }
        }
    }

    /** {@code initial * 2^(attempt-1)}, capped at the maximum. */
    long retryDelay(int attempt) {
        long delay = timing.retryInitialMillis();
        for (int i = 1; i < attempt && delay < timing.retryMaxMillis(); i++) {
            delay *= 2;
        }
        return Math.min(delay, timing.retryMaxMillis());
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return scheduler.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("event webhook task failed", e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // stopping
        }
    }

    private void record(OutboundBatch batch, String url, int attempt, Integer status, String error, String outcome,
                        boolean signed, Long next) {
        DeliveryAttempt a = new DeliveryAttempt(batch.id, batch.isTest() ? "test" : "events", batch.webhookId, url, attempt,
                batch.events.size(), status, error, Instant.now(), outcome, signed, next);
        synchronized (attempts) {
            attempts.addLast(a);
            while (attempts.size() > MAX_ATTEMPT_LOG) {
                attempts.removeFirst();
            }
        }
    }

    /** Every recorded attempt, oldest first. */
    public List<DeliveryAttempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    public void clearAttempts() {
        synchronized (attempts) {
            attempts.clear();
        }
    }

    public synchronized int pendingEvents() {
        return pending.values().stream().mapToInt(List::size).sum();
    }

    public synchronized int retryingBatches() {
        return retrying.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            pending.clear();
            retrying.clear();
        }
        scheduler.shutdownNow();
        httpThreads.shutdownNow();
    }
}
