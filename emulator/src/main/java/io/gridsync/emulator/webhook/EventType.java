package io.gridsync.emulator.webhook;

import java.util.EnumSet;
import java.util.Set;

/**
 * The event types an Event Webhook can be set to post: the setting's name in the settings API and the
 * {@code event} value in the posted JSON (they differ only for spam reports: {@code spam_report} vs
 * {@code spamreport}). Blocked messages are {@code bounce} events with {@code type: blocked}.
 */
public enum EventType {
    PROCESSED("processed", "processed"),
    DELIVERED("delivered", "delivered"),
    DEFERRED("deferred", "deferred"),
    BOUNCE("bounce", "bounce"),
    DROPPED("dropped", "dropped"),
    OPEN("open", "open"),
    CLICK("click", "click"),
    SPAM_REPORT("spam_report", "spamreport"),
    UNSUBSCRIBE("unsubscribe", "unsubscribe"),
    GROUP_UNSUBSCRIBE("group_unsubscribe", "group_unsubscribe"),
    GROUP_RESUBSCRIBE("group_resubscribe", "group_resubscribe");

    /** The boolean's name in the webhook settings. */
    public final String setting;
    /** The {@code event} value in a posted event. */
    public final String eventName;

    EventType(String setting, String eventName) {
        this.setting = setting;
        this.eventName = eventName;
    }

    public static EventType byEventName(String name) {
        for (EventType t : values()) {
            if (t.eventName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event " + name);
    }

    public static Set<EventType> all() {
        return EnumSet.allOf(EventType.class);
    }
}
