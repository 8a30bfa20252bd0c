package io.gridsync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.deliver.Attempt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code deliver}'s JSON summary, counted as rounds finish so that memory does not grow with the
 * file: counts per action and outcome, and the first {@code listed} failures and invalid lines.
 */
final class DeliverySummary {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] BUCKETS = {"delivered", "failed", "retrying", "blocked"};

    private final int listed;
    private final Map<String, long[]> actions = new LinkedHashMap<>();
    private final ArrayNode failures = MAPPER.createArrayNode();
    private final ArrayNode invalid = MAPPER.createArrayNode();
    private long messages;
    private long failuresNotListed;
    private long invalidLines;
    private boolean allGood = true;

    DeliverySummary(int listed) {
        this.listed = listed;
    }

    void invalidLine(long line, String reason) {
        invalidLines++;
        allGood = false;
        if (invalid.size() < listed) {
            invalid.addObject().put("line", line).put("reason", reason);
        }
    }

    void messages(long count) {
        messages = count;
    }

    /** One round's attempts; {@code lines[i]} is the file line of the round's message i. */
    void add(Iterable<Attempt> attempts, long[] lines) {
        for (Attempt a : attempts) {
            Outcome o = a.outcome();
            int bucket = o instanceof Outcome.Done ? 0 : o instanceof Outcome.Dead ? 1 : o instanceof Outcome.Retry ? 2 : 3;
            actions.computeIfAbsent(a.action(), k -> new long[BUCKETS.length])[bucket]++;
            if (bucket == 1 || bucket == 2) {
                allGood = false;
                if (failures.size() < listed) {
                    ObjectNode f = failures.addObject();
                    f.put("line", lines[a.message()]);
                    f.put("messageId", a.messageId());
                    f.put("action", a.action());
                    f.put("status", o.status());
                    f.put("retryable", bucket == 2);
                    f.put("reason", o.detail());
                } else {
                    failuresNotListed++;
                }
            }
        }
    }

    /** Whether every message was delivered or blocked by consent, and every line was valid. */
    boolean allGood() {
        return allGood;
    }

    ObjectNode toJson(Map<String, AtomicLong> requests) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("messages", messages);
        s.put("invalid_lines", invalidLines);
        ObjectNode byAction = s.putObject("actions");
        actions.forEach((action, counts) -> {
            ObjectNode c = byAction.putObject(action);
            for (int i = 0; i < BUCKETS.length; i++) {
                c.put(BUCKETS[i], counts[i]);
            }
        });
        ObjectNode req = s.putObject("requests");
        new TreeMap<>(requests).forEach((k, v) -> req.put(k, v.get()));
        s.set("failures", failures);
        if (failuresNotListed > 0) {
            s.put("failures_not_listed", failuresNotListed);
        }
        if (!invalid.isEmpty()) {
            s.set("invalid", invalid);
            if (invalidLines > invalid.size()) {
                s.put("invalid_not_listed", invalidLines - invalid.size());
            }
        }
        return s;
    }
}
