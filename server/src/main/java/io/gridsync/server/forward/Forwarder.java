package io.gridsync.server.forward;

import io.gridsync.server.health.Supervisor;
import io.gridsync.server.health.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Delivers the outbox in the background: due events, per source, in requests of up to
 * {@link #BATCH} events. A 2xx marks them delivered; anything else (an error status, no answer) is
 * retried after a backoff that doubles from the initial delay up to {@link #MAX_BACKOFF}; an event
 * still failing {@code deadAfter} after it was received is dead, with the last status and error,
 * shown by the admin API.
 */
public final class Forwarder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    static final int BATCH = 100;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    /**
     * Delivered rows are kept this long, past SendGrid's 24 h of retries, so a late duplicate stays one;
     * retention (io.gridsync.server.retention) removes them after that, a chunk at a time.
     */
    public static final Duration KEEP_DELIVERED = Duration.ofHours(48);
    private static final long IDLE_MS = 1_000;

    private final Outbox outbox;
    private final Function<String, Forwarding> forwardingOf;
    private final Clock clock;
    private final Duration retryInitial;
    private final Duration deadAfter;
    private final HttpClient http;
    private final Semaphore wake = new Semaphore(0);
    private Worker worker;
    private volatile boolean closed;
    private java.util.function.BooleanSupplier ours = () -> true;

    /** @param forwardingOf a source's forwarding now, or null when it no longer forwards */
    public Forwarder(Outbox outbox, Function<String, Forwarding> forwardingOf, Clock clock, Duration retryInitial, Duration deadAfter) {
        this.outbox = outbox;
        this.forwardingOf = forwardingOf;
        this.clock = clock;
        this.retryInitial = retryInitial;
        this.deadAfter = deadAfter;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Forwards on a worker of {@code supervisor}'s (component "forwarder"). */
    public void start(Supervisor supervisor) {
        start(supervisor, () -> true);
    }

    /** {@link #start(Supervisor)}, sending only while {@code ours} says this node runs the cluster's forwarding. */
    public void start(Supervisor supervisor, java.util.function.BooleanSupplier ours) {
        this.ours = ours;
        worker = supervisor.start("forwarder", null, self -> run());
    }

    /** Something was added: look now instead of at the next idle tick. */
    public void poke() {
        wake.release();
    }

    private void run() {
        while (!closed) {
            try {
                List<OutboxEntry> due = ours.getAsBoolean() ? outbox.due(BATCH * 5) : List.of();
                if (due.isEmpty()) {
                    wake.tryAcquire(IDLE_MS, TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                    continue;
                }
                Map<String, List<OutboxEntry>> bySource = new LinkedHashMap<>();
                due.forEach(e -> bySource.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e));
                for (Map.Entry<String, List<OutboxEntry>> s : bySource.entrySet()) {
                    List<OutboxEntry> entries = s.getValue();
                    for (int i = 0; i < entries.size() && !closed; i += BATCH) {
                        send(s.getKey(), entries.subList(i, Math.min(entries.size(), i + BATCH)));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("forwarding: {}", e.toString());
                try {
                    Thread.sleep(IDLE_MS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void send(String source, List<OutboxEntry> entries) throws InterruptedException {
        Forwarding to = forwardingOf.apply(source);
        if (to == null) {
            outbox.dead(entries, null, "forwarding was turned off for source " + source + " before these events were sent");
            return;
        }
        Integer status = null;
        String error;
        try {
            HttpResponse<Void> r = http.send(ForwardRequest.of(to, entries.stream().map(OutboxEntry::body).toList(), clock.instant()),
                    HttpResponse.BodyHandlers.discarding());
            status = r.statusCode();
            if (status / 100 == 2) {
                outbox.delivered(entries);
                return;
            }
            // the status only: a body is the remote side's to say anything in, and it would be shown to every admin reader
            error = "HTTP " + status + " from the forwarding target";
        } catch (java.io.IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long now = clock.millis();
        List<OutboxEntry> again = new ArrayList<>();
        List<OutboxEntry> dead = new ArrayList<>();
        for (OutboxEntry e : entries) {
            (now - e.createdAt() >= deadAfter.toMillis() ? dead : again).add(e);
        }
        if (!dead.isEmpty()) {
            log.warn("forwarding source {}: {} events dead after {}: {}", source, dead.size(), deadAfter, error);
            outbox.dead(dead, status, error);
        }
        if (!again.isEmpty()) {
            int attempts = again.get(0).attempts() + 1;
            long backoff = backoff(attempts);
            log.info("forwarding source {}: {} events failed ({}); retrying in {} ms", source, again.size(), error, backoff);
            outbox.retry(again, now + backoff, status, error);
        }
    }

    /** The initial delay doubled per attempt, at most {@link #MAX_BACKOFF}. */
    long backoff(int attempts) {
        long d = retryInitial.toMillis();
        for (int i = 1; i < attempts && d < MAX_BACKOFF.toMillis(); i++) {
            d *= 2;
        }
        return Math.min(d, MAX_BACKOFF.toMillis());
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.stop(); // first, so the supervisor does not take the loop's return for a failure
        }
        closed = true;
        wake.release();
        if (worker != null) {
            worker.awaitStopped(Duration.ofSeconds(10));
        }
    }
}
