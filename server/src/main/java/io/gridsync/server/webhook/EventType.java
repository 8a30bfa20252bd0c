package io.gridsync.server.webhook;

import io.gridsync.server.warehouse.WarehouseColumn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.bool;
import static io.gridsync.server.warehouse.WarehouseColumn.json;
import static io.gridsync.server.warehouse.WarehouseColumn.text;

/**
 * SendGrid's Event Webhook event types, each with its warehouse table and the fields SendGrid
 * documents for it beyond the common ones ({@link EventTables#COMMON}). {@link #OTHER} holds events
 * of types gridsync has no table for (account_status_change, types SendGrid adds later).
 */
public enum EventType {
    PROCESSED("processed", "processed", List.of(bigint("send_at"), json("pool"))),
    DROPPED("dropped", "dropped", List.of(text("reason"), text("status"))),
    DELIVERED("delivered", "delivered", List.of(text("response"), text("ip"), bigint("tls"), bigint("cert_err"))),
    DEFERRED("deferred", "deferred", List.of(text("response"), bigint("attempt"), text("ip"), bigint("tls"), bigint("cert_err"))),
    BOUNCE("bounce", "bounce", List.of(text("reason"), text("status"), text("type"), text("bounce_classification"), text("ip"),
            bigint("tls"), bigint("cert_err"))),
    OPEN("open", "_open", List.of(text("useragent"), text("ip"), bool("sg_machine_open"))),
    CLICK("click", "click", List.of(text("useragent"), text("ip"), text("url"), json("url_offset"))),
    SPAM_REPORT("spamreport", "spam_report", List.of()),
    UNSUBSCRIBE("unsubscribe", "unsubscribe", List.of()),
    GROUP_UNSUBSCRIBE("group_unsubscribe", "group_unsubscribe", List.of(text("useragent"), text("ip"), text("url"))),
    GROUP_RESUBSCRIBE("group_resubscribe", "group_resubscribe", List.of(text("useragent"), text("ip"), text("url"))),
    /** Any other event name; its table has every column of all the others. */
    OTHER(null, "other_events", List.of());

    private static final Map<String, EventType> BY_NAME = new HashMap<>();

    static {
        for (EventType t : values()) {
            if (t.eventName != null) {
                BY_NAME.put(t.eventName, t);
            }
        }
    }

    /** The {@code event} value SendGrid sends ({@code spamreport}, {@code open}, ...); null for OTHER. */
    public final String eventName;
    /** The warehouse table ({@code spam_report}, {@code _open}, ...). */
    public final String table;
    final List<WarehouseColumn> specific;

    EventType(String eventName, String table, List<WarehouseColumn> specific) {
        this.eventName = eventName;
        this.table = table;
        this.specific = specific;
    }

    /** The type of an {@code event} value; OTHER for names gridsync has no table for. */
    public static EventType of(String eventName) {
        return BY_NAME.getOrDefault(eventName, OTHER);
    }
}
