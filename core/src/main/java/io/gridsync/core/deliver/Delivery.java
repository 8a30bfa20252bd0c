package io.gridsync.core.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.ActionInput;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.integration.Actions;
import io.gridsync.core.integration.Integration;
import io.gridsync.core.message.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs messages through an integration's subscriptions: routes each message to the subscriptions
 * whose trigger it matches (unless its consent withholds the integration's category), runs each
 * action on its inputs as one batch, in catalog order, and retries what SendGrid asked to retry,
 * for a bounded number of rounds. One {@link Attempt} per message and subscription comes out.
 */
public final class Delivery {

    private final Integration integration;
    private final List<Actions.Compiled> subscriptions;
    private final ActionContext ctx;

    public Delivery(Integration integration, ActionContext ctx) {
        this.integration = integration;
        this.subscriptions = Actions.compile(integration);
        this.ctx = ctx;
    }

    /**
     * @param retryRounds how many times inputs that came back as retries are tried again
     * @param maxWait     the longest this call waits for a retry's time to come
     */
    public List<Attempt> deliver(List<Message> messages, int retryRounds, Duration maxWait) {
        Map<String, Attempt> attempts = new LinkedHashMap<>();
        Map<Actions.Compiled, List<Integer>> pending = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            boolean blocked = blockedByConsent(integration, m);
            for (Actions.Compiled s : subscriptions) {
                if (!s.trigger().matches(m.json())) {
                    continue;
                }
                if (blocked) {
                    attempts.put(i + "|" + s.subscription().name(), new Attempt(i, m.messageId(), s.subscription().name(),
                            s.action().key(), blocked(integration), 0));
                } else {
                    pending.computeIfAbsent(s, k -> new ArrayList<>()).add(i);
                }
            }
        }
        for (int round = 0; round <= retryRounds && !pending.isEmpty(); round++) {
            Map<Actions.Compiled, List<Integer>> again = new LinkedHashMap<>();
            Instant earliest = null;
            for (Map.Entry<Actions.Compiled, List<Integer>> e : pending.entrySet()) {
                Actions.Compiled s = e.getKey();
                List<Integer> indexes = e.getValue();
                // one perform call for all of a subscription's messages: the planner sees the whole run, so
                // a person's messages anywhere in the file coalesce into one contact (and it splits to SendGrid's limits)
                List<Message> batch = new ArrayList<>(indexes.size());
                indexes.forEach(i -> batch.add(messages.get(i)));
                List<Outcome> outcomes = run(s, batch, ctx);
                for (int k = 0; k < indexes.size(); k++) {
                    int i = indexes.get(k);
                    Outcome o = outcomes.get(k);
                    attempts.put(i + "|" + s.subscription().name(), new Attempt(i, messages.get(i).messageId(),
                            s.subscription().name(), s.action().key(), o, round + 1));
                    if (o instanceof Outcome.Retry r) {
                        again.computeIfAbsent(s, x -> new ArrayList<>()).add(i);
                        earliest = earliest == null || r.notBefore().isBefore(earliest) ? r.notBefore() : earliest;
                    }
                }
            }
            pending = again;
            if (!pending.isEmpty() && round < retryRounds) {
                long wait = Math.max(0, Duration.between(ctx.clock().instant(), earliest).toMillis());
                if (wait > maxWait.toMillis()) {
                    break; // not worth waiting here; the retries are reported as such
                }
                sleep(Math.max(wait, 100));
            }
        }
        return new ArrayList<>(attempts.values());
    }

    /**
     * Runs one subscription's action on messages that matched it: resolves each payload (a message
     * missing a required field is dead with the reason), performs the action once on the rest, and
     * answers one outcome per message, in order. The hub calls this for each batch of due jobs.
     */
    public static List<Outcome> run(Actions.Compiled s, List<Message> messages, ActionContext ctx) {
        Outcome[] out = new Outcome[messages.size()];
        List<ActionInput> inputs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int k = 0; k < messages.size(); k++) {
            Message m = messages.get(k);
            ObjectNode payload = s.payloads().resolve(m);
            List<String> missing = s.payloads().missingRequired(payload);
            if (!missing.isEmpty()) {
                out[k] = Outcome.dead(0, "required field" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                        + " resolved to nothing for this message; fix the subscription's mapping or the event");
                continue;
            }
            inputs.add(new ActionInput(m, payload));
            positions.add(k);
        }
        if (!inputs.isEmpty()) {
            List<Outcome> results = s.action().perform(inputs, ctx);
            for (int j = 0; j < results.size(); j++) {
                out[positions.get(j)] = results.get(j);
            }
        }
        for (int k = 0; k < out.length; k++) {
            if (out[k] == null) {
                // an action must answer every input; if one did not, say so rather than lose the message
                out[k] = Outcome.retry(0, "internal error: " + s.action().key() + " gave no outcome", ctx.clock().instant());
            }
        }
        return java.util.Arrays.asList(out);
    }

    /** Whether the message's consent withholds the integration's category (set to false). */
    public static boolean blockedByConsent(Integration integration, Message m) {
        JsonNode v = m.context().path("consent").path("categoryPreferences").get(integration.consentCategory());
        return v != null && v.isBoolean() && !v.asBoolean();
    }

    /** The outcome recorded for a message its consent blocks. */
    public static Outcome blocked(Integration integration) {
        return new Outcome.Blocked(0, "blocked by consent: " + integration.consentCategory()
                + " is false in context.consent.categoryPreferences");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
