package io.gridsync.server.cluster;

import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.core.sendgrid.SendGridClient;
import io.gridsync.server.store.Database;
import io.gridsync.server.store.Dialect;

import java.net.URI;
import java.time.Duration;

/**
 * Builds every SendGrid client a node opens for an account (delivery, audiences, the mirror,
 * erasures, the credentials test), so all of them spend one budget: on PostgreSQL each is paced through the cluster's
 * shared rate-limit windows ({@link SharedRateLimits}); on SQLite the hub is alone, and each
 * client's own pacer is the budget, as before.
 */
public final class SendGridClients {

    private final Database db;

    private SendGridClients(Database db) {
        this.db = db;
    }

    /** Clients paced through {@code db}'s shared windows when it is PostgreSQL. */
    public static SendGridClients over(Database db) {
        return new SendGridClients(db);
    }

    /** Clients paced by their own pacer only (a process with no state database of its own). */
    public static SendGridClients unshared() {
        return new SendGridClients(null);
    }

    /** A client for the account {@code key} opens at {@code baseUrl}. */
    public SendGridClient open(URI baseUrl, ApiKey key, Duration timeout, SendGridClient.RetryPolicy retry) {
        SendGridClient client = new SendGridClient(baseUrl, key, timeout, retry);
        if (db != null && db.dialect() == Dialect.POSTGRESQL) {
            client.pacedBy(new SharedRateLimits(db, client.baseUrl().toString(), key.reveal()));
        }
        return client;
    }
}
