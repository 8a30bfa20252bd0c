package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.health.LogEvery;
import io.gridsync.server.health.Supervisor;
import io.gridsync.server.health.Worker;
import io.gridsync.server.store.StorageFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The hub's audience thread: applies the audience API's pending changes and runs the scheduled
 * cohort syncs that are due, one at a time, waking every few seconds or when poked. A run that fails
 * is recorded with its reason and the schedule goes on; nothing here can stop the hub.
 */
public final class AudienceScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AudienceScheduler.class);

    private final MemberChanges changes;
    private final ScheduledSyncs syncs;
    private final CohortSync cohorts;
    private final Function<String, Optional<AudienceAccount>> accounts;
    private final Clock clock;
    private final Duration tick;
    private final Object wakeup = new Object();
    private volatile boolean running;
    private boolean poked;
    private Worker worker;
    private java.util.function.BooleanSupplier ours = () -> true;
    private final LogEvery storageLog = new LogEvery(Duration.ofMinutes(1));

    public AudienceScheduler(MemberChanges changes, ScheduledSyncs syncs, CohortSync cohorts,
                             Function<String, Optional<AudienceAccount>> accounts, Clock clock, Duration tick) {
        this.changes = changes;
        this.syncs = syncs;
        this.cohorts = cohorts;
        this.accounts = accounts;
        this.clock = clock;
        this.tick = tick;
    }

    /** Runs the audience work on a worker of {@code supervisor}'s (component "audiences", restarted if it dies). */
    public void start(Supervisor supervisor) {
        start(supervisor, () -> true);
    }

    /** {@link #start(Supervisor)}, each turn run only while {@code ours} says this node runs the cluster's audience work. */
    public void start(Supervisor supervisor, java.util.function.BooleanSupplier ours) {
        this.ours = ours;
        running = true;
        // a turn may run a scheduled cohort sync of millions of members: allow it hours before calling it stalled
        worker = supervisor.start("audiences", Duration.ofHours(6), this::loop);
    }

    /** Something is due now (changes accepted, a sync created): run without waiting for the tick. */
    public void poke() {
        synchronized (wakeup) {
            poked = true;
            wakeup.notifyAll();
        }
    }

    private void loop(Worker self) {
        while (running && self.running()) {
            self.beat();
            try {
                // once per cluster: another node runs the changes and the schedule while it holds them
                for (ScheduledSync s : ours.getAsBoolean() ? runDueChanges() : List.<ScheduledSync>of()) {
                    if (!running) {
                        break;
                    }
                    run(s);
                }
            } catch (RuntimeException e) {
                if (!StorageFault.is(e)) {
                    throw e; // a bug or bad data: the supervisor logs it with its stack and starts the worker again
                }
                if (storageLog.tick("storage") > 0) {
                    log.warn("audiences: the state database cannot write ({}); trying again every {} s", e.getMessage(), tick.toSeconds());
                }
            }
            synchronized (wakeup) {
                if (!poked && running) {
                    try {
                        wakeup.wait(tick.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                poked = false;
            }
        }
    }

    /**
     * The plan of a scheduled sync without applying it (adds, removes, updates, unchanged, skipped,
     * with examples), on the caller's thread: nothing is written to SendGrid or recorded as a run.
     */
    public ObjectNode dryRun(ScheduledSync s) {
        Optional<AudienceAccount> account = accounts.apply(s.integrationId());
        if (account.isEmpty()) {
            throw new IllegalArgumentException("integration " + s.integrationId() + " is not enabled; enable it to plan its syncs");
        }
        return cohorts.run(new CohortSync.Request(s.integrationId(), s.audienceKey(), s.source(), s.listName(), s.map(),
                true, s.reconcile(), "dry-run", s.id()), account.get());
    }

    private List<ScheduledSync> runDueChanges() {
        changes.runDue();
        return syncs.due(clock.millis());
    }

    private void run(ScheduledSync s) {
        syncs.started(s, clock.millis());
        Optional<AudienceAccount> account = accounts.apply(s.integrationId());
        if (account.isEmpty()) {
            syncs.finished(s.id(), "failed: integration " + s.integrationId() + " is not enabled");
            return;
        }
        log.info("scheduled sync {} of audience '{}' from {}", s.id(), s.audienceKey(), s.source().describe());
        ObjectNode report = cohorts.run(new CohortSync.Request(s.integrationId(), s.audienceKey(), s.source(), s.listName(), s.map(),
                false, s.reconcile(), "schedule", s.id()), account.get());
        String outcome = report.path("result").path("outcome").asText("failed");
        syncs.finished(s.id(), report.has("error") ? outcome + ": " + report.get("error").asText() : outcome);
        log.info("scheduled sync {} of audience '{}': {} (adds {}, removes {}, updates {}, unchanged {}, skipped {})", s.id(),
                s.audienceKey(), outcome, report.path("adds").asLong(), report.path("removes").asLong(), report.path("updates").asLong(),
                report.path("unchanged").asLong(), report.path("skipped").asLong());
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.stop(); // first, so the supervisor does not take the loop's return for a failure
        }
        running = false;
        poke();
        if (worker != null) {
            worker.awaitStopped(Duration.ofSeconds(30));
        }
    }
}
