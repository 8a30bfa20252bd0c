package io.gridsync.core.action;

import io.gridsync.core.contact.IdentityLedger;
import io.gridsync.core.contact.ValueLedger;
import io.gridsync.core.fields.FieldCatalog;
import io.gridsync.core.lists.ListDirectory;
import io.gridsync.core.sendgrid.SendGridApi;

import java.time.Clock;
import java.time.Duration;

/**
 * What an action may use: the SendGrid account, the caches in front of it, the ledgers the server
 * persists, and the integration's settings.
 *
 * @param defaultListId        list every upserted contact is added to (null for none)
 * @param createMissingFields  whether behaviour fields (last_page_url, ...) are created when missing
 * @param importTimeout        how long to follow an import job before reporting it as still pending
 */
public record ActionContext(SendGridApi api, FieldCatalog fields, ListDirectory lists, IdentityLedger identities,
                            ValueLedger values, String defaultListId, boolean createMissingFields,
                            Duration importTimeout, Clock clock) {

    public static ActionContext of(SendGridApi api, IdentityLedger identities, ValueLedger values, String defaultListId,
                                   boolean createMissingFields) {
        return new ActionContext(api, new FieldCatalog(api), new ListDirectory(api), identities, values, defaultListId,
                createMissingFields, Duration.ofMinutes(10), Clock.systemUTC());
    }

    /** The same account, caches and settings with other ledgers (a one-shot run's next round of persons). */
    public ActionContext withLedgers(IdentityLedger identities, ValueLedger values) {
        return new ActionContext(api, fields, lists, identities, values, defaultListId, createMissingFields, importTimeout, clock);
    }
}
