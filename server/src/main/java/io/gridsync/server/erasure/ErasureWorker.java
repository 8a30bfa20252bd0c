package io.gridsync.server.erasure;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.health.LogEvery;
import io.gridsync.server.health.Worker;
import io.gridsync.server.store.StorageFault;
import io.gridsync.server.secrets.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs erasures in the background, one at a time, from the database (so they survive a restart
 * and, on PostgreSQL, any node takes them): resolve the person, remove them from the state
 * database, delete their SendGrid contacts (and start SendGrid's erase job when asked), remove them
 * from the state database once more (anything routed meanwhile), then from the warehouse, and make
 * the files let go of the deleted bytes. Every step is idempotent; a failure is retried with
 * backoff (5 s doubling to 1 h) and after {@link #MAX_ATTEMPTS} the erasure is {@code failed}.
 * The sealed identifiers are removed from the row when it ends either way.
 */
final class ErasureWorker {

    private static final Logger log = LoggerFactory.getLogger(ErasureWorker.class);
    private static final ObjectMapper M = new ObjectMapper();
    static final int MAX_ATTEMPTS = 20;
    private static final long LEASE_MS = 15 * 60_000L;
    private static final long NOT_YET_DELAY_MS = 2_000;
    private static final int KEPT_ERRORS = 10;

    private final ErasureStore store;
    private final SecretBox box;
    private final IdentifierHash hash;
    private final Suppression suppression;
    private final PersonResolver resolver;
    private final StateErasure state;
    private final SendGridErasure sendGrid;
    private final WarehouseErasure warehouse;
    private final StateFiles files;
    private final Clock clock;
    private final String owner = "erasure-" + UUID.randomUUID();
    private final Semaphore wake = new Semaphore(0);
    private final LogEvery storageLog = new LogEvery(java.time.Duration.ofMinutes(1));

    ErasureWorker(ErasureStore store, SecretBox box, IdentifierHash hash, Suppression suppression, PersonResolver resolver,
                  StateErasure state, SendGridErasure sendGrid, WarehouseErasure warehouse, StateFiles files, Clock clock) {
        this.store = store;
        this.box = box;
        this.hash = hash;
        this.suppression = suppression;
        this.resolver = resolver;
        this.state = state;
        this.sendGrid = sendGrid;
        this.warehouse = warehouse;
        this.files = files;
        this.clock = clock;
    }

    void poke() {
        wake.release();
    }

    /** The supervised loop: takes due erasures, and between them reloads the suppression list (other nodes' erasures). */
    void run(Worker self) throws InterruptedException {
        while (self.running()) {
            self.beat();
            try {
                if (runOnce()) {
                    continue;
                }
                suppression.reload();
            } catch (RuntimeException e) {
                if (!StorageFault.is(e)) {
                    throw e; // a bug or bad data: the supervisor logs it with its stack and starts the worker again
                }
                if (storageLog.tick("storage") > 0) {
                    log.warn("erasures: the state database cannot be used ({}); trying again every second", e.getMessage());
                }
            }
            wake.tryAcquire(1, TimeUnit.SECONDS);
            wake.drainPermits();
        }
    }

    /** Runs one due erasure; false when none was due. */
    boolean runOnce() {
        long now = clock.millis();
        Optional<ErasureRecord> due = store.claimDue(owner, now, now + LEASE_MS);
        due.ifPresent(this::process);
        return due.isPresent();
    }

    private void process(ErasureRecord r) {
        Map<String, Long> counts = new LinkedHashMap<>(r.counts());
        List<String> errors = new ArrayList<>(r.errors());
        Person person = new Person(Set.of());
        String sealed = r.identifiersSealed();
        try {
            person = resolver.resolve(unseal(r.identifiersSealed()));
            sealed = seal(person.identifiers());
            // the linked identifiers are suppressed too, and kept (sealed) for the retries once the ledger is gone
            store.suppress(r.id(), person.identifiers().stream().map(hash::of).toList(), clock.millis());
            store.save(r.id(), ErasureRecord.RUNNING, sealed, counts, errors, r.attempts(), clock.millis(), clock.millis(), null);
            suppression.reload();

            StateErasure.Result first = state.erase(person, clock.millis());
            first.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
            if (first.leasedJobs() > 0) {
                throw new NotYet(first.leasedJobs() + " job(s) of theirs are being delivered now");
            }
            boolean eraseJob = r.sendgridEraseJob() && counts.getOrDefault("sendgrid_erase_jobs", 0L) == 0;
            SendGridErasure.Result sg = sendGrid.erase(person, eraseJob);
            sg.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
            state.erase(person, clock.millis()).counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
            WarehouseErasure.Result wh = warehouse.erase(person, sg.contactIds());
            wh.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
            if (!wh.released() || !files.releaseDeleted()) {
                throw new NotYet("a reader still holds an old snapshot of a database file; its WAL is emptied on the next try");
            }
            long now = clock.millis();
            store.save(r.id(), ErasureRecord.DONE, null, counts, errors, r.attempts() + 1, now, now, now);
            files.releaseDeleted(); // the sealed identifiers just cleared leave the WAL as well
            log.info("erasure {} done: {}", r.id(), counts);
        } catch (NotYet e) {
            long now = clock.millis();
            store.save(r.id(), ErasureRecord.RUNNING, sealed, counts, errors, r.attempts(), now + NOT_YET_DELAY_MS, now, null);
        } catch (RuntimeException e) {
            long now = clock.millis();
            int attempts = r.attempts() + 1;
            errors.add(person.redact(String.valueOf(e.getMessage())));
            while (errors.size() > KEPT_ERRORS) {
                errors.remove(0);
            }
            if (attempts >= MAX_ATTEMPTS) {
                store.save(r.id(), ErasureRecord.FAILED, null, counts, errors, attempts, now, now, now);
                log.error("erasure {} failed after {} attempts; post it again once the cause is fixed: {}", r.id(), attempts,
                        errors.get(errors.size() - 1));
            } else {
                long delay = Math.min(3_600_000L, 5_000L << Math.min(20, attempts - 1));
                store.save(r.id(), ErasureRecord.RUNNING, sealed, counts, errors, attempts, now + delay, now, null);
                log.warn("erasure {} attempt {} failed, retrying in {} s: {}", r.id(), attempts, delay / 1000, errors.get(errors.size() - 1));
            }
        }
    }

    String seal(Set<Identifier> ids) {
        List<Map<String, String>> list = ids.stream().map(i -> Map.of("type", i.type(), "value", i.value())).toList();
        try {
            return box.seal(M.writeValueAsString(list));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<Identifier> unseal(String sealed) {
        if (sealed == null) {
            return Set.of();
        }
        try {
            List<Map<String, String>> list = M.readValue(box.unseal(sealed), new TypeReference<List<Map<String, String>>>() {});
            Set<Identifier> out = new LinkedHashSet<>();
            list.forEach(m -> out.add(new Identifier(m.get("type"), m.get("value"))));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("corrupt sealed identifiers: " + e.getMessage(), e);
        }
    }
}
