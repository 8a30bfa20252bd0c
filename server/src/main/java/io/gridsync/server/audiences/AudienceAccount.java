package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.contact.IdentityLedger;
import io.gridsync.core.contact.InMemoryValueLedger;
import io.gridsync.core.fields.FieldCatalog;
import io.gridsync.core.lists.ListDirectory;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridClient;
import io.gridsync.server.cluster.SendGridClients;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SendGrid account one audience run talks to, through core's client: its typed API, field and
 * list caches, and a count of the requests made per endpoint, which every run reports.
 */
public final class AudienceAccount {

    final SendGridApi api;
    final FieldCatalog fields;
    final ListDirectory lists;
    final Duration jobTimeout;
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    public AudienceAccount(URI baseUrl, ApiKey key, Duration timeout, Duration jobTimeout) {
        this(SendGridClients.unshared(), baseUrl, key, timeout, jobTimeout);
    }

    /** Through {@code clients}: a cluster's nodes pace audience work by the account's one budget. */
    public AudienceAccount(SendGridClients clients, URI baseUrl, ApiKey key, Duration timeout, Duration jobTimeout) {
        SendGridClient client = clients.open(baseUrl, key, timeout, SendGridClient.RetryPolicy.DEFAULT);
        client.setListener((endpoint, status, nanos) -> requests.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet());
        this.api = new SendGridApi(client);
        this.fields = new FieldCatalog(api);
        this.lists = new ListDirectory(api);
        this.jobTimeout = jobTimeout;
    }

    /** An action context over this account for core's contact upserter. */
    ActionContext context(IdentityLedger ledger, Clock clock) {
        return new ActionContext(api, fields, lists, ledger, new InMemoryValueLedger(), null, false, jobTimeout, clock);
    }

    /** {@code {"PUT /v3/marketing/contacts": 34, ...}}, sorted. */
    ObjectNode requestsJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        new TreeMap<>(requests).forEach((k, v) -> o.put(k, v.get()));
        return o;
    }
}
