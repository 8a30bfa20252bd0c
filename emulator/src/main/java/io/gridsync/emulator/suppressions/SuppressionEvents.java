package io.gridsync.emulator.suppressions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.suppressions.SuppressionStore.Entry;
import io.gridsync.emulator.suppressions.SuppressionStore.Kind;
import io.gridsync.emulator.webhook.EventGenerator;

import java.util.List;

/**
 * Keeps the suppressions consistent with the events the emulated mail produced, as SendGrid does:
 * a bounce adds a bounce (a blocked message a block), a spam report a spam report, an unsubscribe
 * a global unsubscribe, a group unsubscribe a member of the message's group (a resubscribe removes
 * it), and a drop for an invalid address an invalid email.
 */
public final class SuppressionEvents {

    private final SuppressionStore store;

    public SuppressionEvents(SuppressionStore store) {
        this.store = store;
    }

    public void record(List<ObjectNode> events) {
        for (ObjectNode e : events) {
            String email = e.path("email").asText();
            long at = e.path("timestamp").asLong();
            String reason = e.path("reason").asText(null);
            switch (e.path("event").asText()) {
                case "bounce" -> store.add("blocked".equals(e.path("type").asText()) ? Kind.BLOCKS : Kind.BOUNCES,
                        new Entry(email, at, reason, e.path("status").asText(null), null));
                case "spamreport" -> store.add(Kind.SPAM_REPORTS, new Entry(email, at, null, null, EventGenerator.SENDING_IP));
                case "unsubscribe" -> store.add(Kind.UNSUBSCRIBES, new Entry(email, at, null, null, null));
                case "group_unsubscribe" -> store.addMember(e.path("asm_group_id").asLong(), email);
                case "group_resubscribe" -> store.removeMember(e.path("asm_group_id").asLong(), email);
                case "dropped" -> {
                    if ("Invalid".equals(reason)) {
                        store.add(Kind.INVALID_EMAILS, new Entry(email, at, "Mail domain mentioned in email address is unknown", null, null));
                    }
                }
                default -> {
                    // other events change no suppression
                }
            }
        }
    }
}
