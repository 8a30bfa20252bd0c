package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.Set;

/**
 * The live events' filters ({@code ?user=&email=&event=&outcome=}) and each message's delivery
 * outcome, summed up from its jobs: dead over blocked over retrying over pending over delivered.
 */
record EventFilter(String user, String email, String event, String outcome) {

    static final Set<String> OUTCOMES = Set.of("delivered", "retrying", "pending", "dead", "blocked", "discarded", "none");
    /** How many messages one filtered request reads at most before answering with what it found. */
    static final int MAX_SCANNED = 5000;

    static EventFilter of(Context ctx) {
        String outcome = blankToNull(ctx.queryParam("outcome"));
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw AdminError.badRequest("outcome must be one of " + new java.util.TreeSet<>(OUTCOMES) + "; got '" + outcome + "'");
        }
        return new EventFilter(lower(ctx.queryParam("user")), lower(ctx.queryParam("email")), blankToNull(ctx.queryParam("event")), outcome);
    }

    boolean any() {
        return user != null || email != null || event != null || outcome != null;
    }

    /** Whether a message of {@code DeliveryLog.recent} (with its outcome added) passes: user and email by part, the rest exactly. */
    boolean test(JsonNode m) {
        return (user == null || contains(m.path("user_id").asText(""), user) || contains(m.path("person").asText(""), user))
                && (email == null || contains(m.path("email").asText(""), email))
                && (event == null || event.equals(m.path("event").asText(null)))
                && (outcome == null || outcome.equals(m.path("outcome").asText()));
    }

    /** Adds {@code outcome}: what became of the message over all its integrations' jobs. */
    static void addOutcome(ObjectNode m) {
        boolean dead = false, blocked = false, retrying = false, pending = false, discarded = false;
        JsonNode deliveries = m.path("deliveries");
        for (JsonNode d : deliveries) {
            switch (d.path("state").asText()) {
                case "done" -> { }
                case "dead" -> dead = true;
                case "blocked" -> blocked = true;
                case "discarded" -> discarded = true;
                default -> {
                    if (d.path("attempt_count").asInt() > 0) {
                        retrying = true;
                    } else {
                        pending = true;
                    }
                }
            }
        }
        m.put("outcome", deliveries.isEmpty() ? "none" : dead ? "dead" : blocked ? "blocked" : retrying ? "retrying"
                : pending ? "pending" : discarded ? "discarded" : "delivered");
    }

    private static boolean contains(String text, String part) {
        return text.toLowerCase(Locale.ROOT).contains(part);
    }

    private static String lower(String s) {
        String v = blankToNull(s);
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
