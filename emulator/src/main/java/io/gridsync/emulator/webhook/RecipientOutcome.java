package io.gridsync.emulator.webhook;

import io.gridsync.emulator.mail.EmailAddresses;

import java.util.List;

import static io.gridsync.emulator.webhook.EventType.BOUNCE;
import static io.gridsync.emulator.webhook.EventType.CLICK;
import static io.gridsync.emulator.webhook.EventType.DEFERRED;
import static io.gridsync.emulator.webhook.EventType.DELIVERED;
import static io.gridsync.emulator.webhook.EventType.DROPPED;
import static io.gridsync.emulator.webhook.EventType.GROUP_RESUBSCRIBE;
import static io.gridsync.emulator.webhook.EventType.GROUP_UNSUBSCRIBE;
import static io.gridsync.emulator.webhook.EventType.OPEN;
import static io.gridsync.emulator.webhook.EventType.PROCESSED;
import static io.gridsync.emulator.webhook.EventType.SPAM_REPORT;
import static io.gridsync.emulator.webhook.EventType.UNSUBSCRIBE;

/**
 * What happens to a message for one recipient, chosen from the start of the address's local part
 * (case-insensitive), so tests can ask for a bounce by sending to {@code bounce-1@example.com}.
 * Checked in declaration order; anything else is processed and delivered.
 */
public enum RecipientOutcome {
    GROUP_RESUBSCRIBED("groupresub", PROCESSED, DELIVERED, OPEN, GROUP_UNSUBSCRIBE, GROUP_RESUBSCRIBE),
    GROUP_UNSUBSCRIBED("groupunsub", PROCESSED, DELIVERED, OPEN, GROUP_UNSUBSCRIBE),
    UNSUBSCRIBED("unsub", PROCESSED, DELIVERED, OPEN, CLICK, UNSUBSCRIBE),
    BOUNCED("bounce", PROCESSED, BOUNCE),
    BLOCKED("block", PROCESSED, BOUNCE),
    DROPPED_MESSAGE("drop", DROPPED),
    /** An address the receiving domain does not know: dropped as invalid, and added to the invalid emails list. */
    INVALID_ADDRESS("invalid", DROPPED),
    DEFERRED_THEN_DELIVERED("defer", PROCESSED, DEFERRED, DELIVERED),
    SPAM_REPORTED("spam", PROCESSED, DELIVERED, OPEN, SPAM_REPORT),
    CLICKED("click", PROCESSED, DELIVERED, OPEN, CLICK),
    OPENED("open", PROCESSED, DELIVERED, OPEN),
    DELIVERED_ONLY("", PROCESSED, DELIVERED);

    public final String prefix;
    public final List<EventType> events;

    RecipientOutcome(String prefix, EventType... events) {
        this.prefix = prefix;
        this.events = List.of(events);
    }

    public static RecipientOutcome of(String email) {
        String local = EmailAddresses.localPart(email);
        for (RecipientOutcome o : values()) {
            if (local.startsWith(o.prefix)) {
                return o;
            }
        }
        return DELIVERED_ONLY;
    }
}
