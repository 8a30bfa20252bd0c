package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.sendemail.SendEmail;
import io.gridsync.core.integration.Integration;
import io.gridsync.core.integration.Subscription;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridClient;
import io.gridsync.core.sendgrid.SendGridError;
import io.gridsync.core.sendgrid.SendGridException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * "Does this key work, and may it do what the subscriptions ask?": one {@code GET /v3/scopes}
 * against the integration's endpoint, compared with the scopes its enabled actions need
 * (marketing.read + marketing.write for contacts and lists, mail.send for email).
 */
public final class CredentialsCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CredentialsCheck.class);

    private CredentialsCheck() {}

    static Set<String> requiredScopes(String action) {
        return SendEmail.KEY.equals(action) ? Set.of("mail.send") : Set.of("marketing.read", "marketing.write");
    }

    /**
     * {@code {"ok": true, "scopes": [...]}} or {@code {"ok": false, "error": ..., ["missing_scopes": [...]]}}.
     *
     * @param clients opens the client, so the call draws on the account's budget like every other (a cluster's shared windows)
     */
    public static ObjectNode run(Integration integration, ApiKey key, io.gridsync.server.cluster.SendGridClients clients) {
        ObjectNode out = AdminJson.MAPPER.createObjectNode().put("ok", false);
        SendGridClient client = clients.open(SendGridClient.resolveBaseUrl(integration.endpoint()), key, TIMEOUT,
                SendGridClient.RetryPolicy.NONE);
        Set<String> granted;
        try {
            granted = new SendGridApi(client).scopes();
        } catch (SendGridException e) {
            out.put("error", describe(e, client));
            return out;
        }
        // scope -> the actions that need it, for a message that says why
        Map<String, Set<String>> needed = new TreeMap<>();
        for (Subscription s : integration.subscriptions()) {
            if (s.enabled()) {
                for (String scope : requiredScopes(s.action())) {
                    needed.computeIfAbsent(scope, k -> new TreeSet<>()).add(s.action());
                }
            }
        }
        ArrayNode scopes = out.putArray("scopes");
        granted.forEach(scopes::add);
        List<String> missing = needed.keySet().stream().filter(s -> !granted.contains(s)).toList();
        if (missing.isEmpty()) {
            out.put("ok", true);
            return out;
        }
        ArrayNode m = out.putArray("missing_scopes");
        missing.forEach(m::add);
        out.put("error", "the API key lacks scopes the subscriptions need: " + missing.stream()
                .map(s -> s + " (" + String.join(", ", needed.get(s)) + ")").collect(Collectors.joining(", "))
                + "; in SendGrid create a key with " + advice(missing) + " and rotate it with PATCH {\"api_key\": ...}");
        return out;
    }

    /**
     * Checks every enabled integration's key once, in the background, and says the answer in the log:
     * a refused key is an ERROR naming the integration and what to do, before any delivery fails on it.
     */
    public static void atStart(io.gridsync.server.integrations.IntegrationStore store, io.gridsync.server.cluster.SendGridClients clients) {
        Thread t = new Thread(() -> {
            for (io.gridsync.server.integrations.StoredIntegration i : store.list()) {
                if (!i.enabled()) {
                    continue;
                }
                try {
                    ObjectNode answer = run(store.toCore(i.id()), store.apiKey(i.id()), clients);
                    if (answer.path("ok").asBoolean()) {
                        log.info("integration {}: SendGrid accepts the API key (credentials test passed)", i.name());
                    } else {
                        log.error("integration {}: the credentials test failed: {}; deliveries to it fail until the key is replaced "
                                + "(PATCH /v1/admin/integrations/{} with a new api_key)", i.name(), answer.path("error").asText(), i.id());
                    }
                } catch (RuntimeException e) {
                    log.error("integration {}: its API key cannot be read: {}", i.name(), e.getMessage());
                }
            }
        }, "gridsync-credentials-check");
        t.setDaemon(true);
        t.start();
    }

    private static String advice(List<String> missing) {
        boolean marketing = missing.stream().anyMatch(s -> s.startsWith("marketing."));
        boolean mail = missing.contains("mail.send");
        return marketing && mail ? "Marketing full access and Mail Send" : marketing ? "Marketing full access" : "Mail Send access";
    }

    private static String describe(SendGridException e, SendGridClient client) {
        String said = e.errors().stream().map(SendGridError::message).filter(m -> !m.isBlank())
                .collect(Collectors.joining("; "));
        String answered = "SendGrid answered " + e.status() + (said.isEmpty() ? "" : " " + said);
        return switch (e.status()) {
            case 0 -> "cannot reach SendGrid at " + client.baseUrl() + ": " + e.getMessage();
            case 401 -> "invalid credentials: " + answered;
            case 403 -> "the API key may not read its scopes: " + answered;
            default -> answered;
        };
    }
}
