package io.gridsync.server.erasure;

import io.gridsync.server.health.Supervisor;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.Database;
import io.gridsync.server.warehouse.Warehouse;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Erasure on request (docs/privacy.md): the admin routes, the suppression of erased people's later
 * messages, and the background worker, wired together for the hub.
 */
public final class Erasures {

    private final ErasureStore store;
    private final IdentifierHash hash;
    private final Suppression suppression;
    private final ErasureWorker worker;
    private final Clock clock;

    /**
     * @param schemas the warehouse schemas of the webhook and mirror sources there are now
     */
    public Erasures(Database db, SecretBox box, IntegrationStore integrations, Warehouse warehouse,
                    Supplier<Collection<String>> schemas, Duration sendGridTimeout, Clock clock, MeterRegistry registry) {
        this.store = new ErasureStore(db);
        this.hash = new IdentifierHash(box);
        this.suppression = new Suppression(store, hash, registry);
        this.clock = clock;
        this.worker = new ErasureWorker(store, box, hash, suppression, new PersonResolver(db), new StateErasure(db),
                new SendGridErasure(integrations, sendGridTimeout, io.gridsync.server.cluster.SendGridClients.over(db)),
                new WarehouseErasure(warehouse, schemas), new StateFiles(db), clock);
    }

    /** Drops messages of erased people before the journal (collect.TrackingApi). */
    public Suppression suppression() {
        return suppression;
    }

    public ErasureStore store() {
        return store;
    }

    public void register(Javalin app) {
        new ErasureApi(this).register(app);
    }

    public void start(Supervisor supervisor) {
        store.releaseLeasesOfThePreviousRun();
        supervisor.start("erasure", null, worker::run);
    }

    /** Records an erasure: from its commit on the identifiers are suppressed; the worker does the rest. */
    ErasureRecord request(Set<Identifier> ids, boolean sendgridEraseJob) {
        String id = UUID.randomUUID().toString();
        List<String> hashes = ids.stream().map(hash::of).toList();
        store.create(id, hashes, worker.seal(ids), sendgridEraseJob, clock.millis());
        suppression.reload();
        ErasureRecord created = store.get(id).orElseThrow(); // read before the worker is woken: the answer says pending
        worker.poke();
        return created;
    }

    /** Runs due erasures on the calling thread until none is due (tests, the CLI). */
    public void runDue() {
        while (worker.runOnce()) {
            // next
        }
    }
}
