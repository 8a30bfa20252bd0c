package io.gridsync.server.erasure;

import io.gridsync.server.cluster.SendGridClients;
import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.sendgrid.ImportStatus;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridClient;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.StoredIntegration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes a person from the SendGrid account of every integration: their contacts, found by each
 * SendGrid identifier, are deleted ({@code DELETE /v3/marketing/contacts?ids=...}, and the delete
 * job awaited), and when asked SendGrid's recipients erasure job is started for their emails
 * ({@code POST /v3/recipients/erasejob}). A failure throws: the erasure is retried later.
 */
final class SendGridErasure {

    private static final Duration DELETE_JOB_WAIT = Duration.ofMinutes(2);

    private final IntegrationStore integrations;
    private final Duration timeout;
    /** A cluster's nodes pace erasures by the account's one budget. */
    private final SendGridClients clients;

    SendGridErasure(IntegrationStore integrations, Duration timeout, SendGridClients clients) {
        this.integrations = integrations;
        this.timeout = timeout;
        this.clients = clients;
    }

    record Result(Map<String, Long> counts, Set<String> contactIds) {}

    Result erase(Person p, boolean eraseJob) {
        Map<String, Long> n = new LinkedHashMap<>();
        n.put("sendgrid_contacts", 0L);
        n.put("sendgrid_erase_jobs", 0L);
        Set<String> allIds = new LinkedHashSet<>();
        for (StoredIntegration s : integrations.list()) {
            SendGridApi api;
            try {
                api = new SendGridApi(clients.open(SendGridClient.resolveBaseUrl(s.endpoint()), integrations.apiKey(s.id()), timeout,
                        SendGridClient.RetryPolicy.DEFAULT));
            } catch (RuntimeException e) {
                throw new IllegalStateException("integration " + s.name() + ": its SendGrid account cannot be used (" + e.getMessage()
                        + "); fix its API key or endpoint, the erasure retries");
            }
            Set<String> ids = contactIds(api, p);
            allIds.addAll(ids);
            for (List<String> batch : SendGridApi.idBatches(new ArrayList<>(ids), "/v3/marketing/contacts?ids=".length())) {
                String job = api.deleteContacts(batch);
                ImportStatus status = api.awaitJob(job, DELETE_JOB_WAIT);
                if (!status.finished()) {
                    throw new IllegalStateException("integration " + s.name() + ": SendGrid's contact delete job " + job
                            + " is still " + status.status() + "; the erasure checks again later");
                }
                if (status.status().equals("failed")) {
                    throw new IllegalStateException("integration " + s.name() + ": SendGrid's contact delete job " + job + " failed; the erasure retries");
                }
            }
            n.merge("sendgrid_contacts", (long) ids.size(), Long::sum);
            if (eraseJob && !p.emails().isEmpty()) {
                api.eraseRecipients(p.emails());
                n.merge("sendgrid_erase_jobs", 1L, Long::sum);
            }
        }
        return new Result(n, allIds);
    }

    /** The person's contact ids: one search per SendGrid identifier type they have. */
    private static Set<String> contactIds(SendGridApi api, Person p) {
        Set<String> ids = new LinkedHashSet<>();
        if (!p.emails().isEmpty()) {
            collect(ids, api.searchEmails(p.emails()));
        }
        for (String type : List.of("phone_number_id", "external_id", "anonymous_id")) {
            List<String> values = p.valuesOf(type);
            if (!values.isEmpty()) {
                collect(ids, api.searchIdentifiers(type, values));
            }
        }
        return ids;
    }

    private static void collect(Set<String> ids, Map<String, JsonNode> found) {
        found.values().forEach(c -> {
            String id = c.path("id").asText(null);
            if (id != null) {
                ids.add(id);
            }
        });
    }
}
