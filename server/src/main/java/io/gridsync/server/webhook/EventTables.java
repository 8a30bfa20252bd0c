package io.gridsync.server.webhook;

import io.gridsync.server.warehouse.ColumnType;
import io.gridsync.server.warehouse.WarehouseColumn;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.bool;
import static io.gridsync.server.warehouse.WarehouseColumn.json;
import static io.gridsync.server.warehouse.WarehouseColumn.text;
import static io.gridsync.server.warehouse.WarehouseColumn.timestamp;

/**
 * The capture tables of a source's schema (docs/warehouse.md): one append-only table per event type,
 * keyed by {@code sg_event_id}; the view {@code activity}, their union; and {@code _quarantine},
 * bodies and events that could not be read, with the reason.
 */
public final class EventTables {

    /** Fields every event may carry (SendGrid's delivery and engagement tables, Marketing Campaigns fields). */
    static final List<WarehouseColumn> COMMON = List.of(
            text("sg_event_id"), text("event"), text("email"), timestamp("timestamp"), text("sg_message_id"), text("smtp_id"),
            json("category"), bigint("asm_group_id"),
            text("marketing_campaign_id"), text("marketing_campaign_name"), text("marketing_campaign_version"),
            text("marketing_campaign_split_id"), text("singlesend_id"), text("singlesend_name"), text("template_id"),
            text("template_name"), text("template_version_id"), text("sg_template_id"), text("sg_template_name"),
            text("mc_stats"), text("phase_id"), text("variation_id"), text("post_type"));
    /** Every event table ends with these two. */
    static final List<WarehouseColumn> TRAILING = List.of(json("custom_args"), timestamp("received_at"));

    public static final String ACTIVITY = "activity";
    public static final WarehouseTable QUARANTINE = new WarehouseTable("_quarantine", List.of(text("id"),
            WarehouseColumn.timestamp("received_at"), text("source"), text("reason"), bool("signature_verified"), text("body")), "id");

    /** Every documented field, in the order of {@link #union()}: the parser's working row. */
    private static final List<WarehouseColumn> UNION;
    private static final Map<EventType, WarehouseTable> TABLES = new EnumMap<>(EventType.class);

    static {
        Map<String, WarehouseColumn> all = new LinkedHashMap<>();
        COMMON.forEach(c -> all.put(c.name(), c));
        for (EventType t : EventType.values()) {
            t.specific.forEach(c -> {
                WarehouseColumn before = all.putIfAbsent(c.name(), c);
                if (before != null && before.type() != c.type()) {
                    throw new IllegalStateException("field " + c.name() + " has two types");
                }
            });
        }
        UNION = List.copyOf(all.values());
        for (EventType t : EventType.values()) {
            List<WarehouseColumn> columns = new ArrayList<>(COMMON);
            columns.addAll(t == EventType.OTHER ? UNION.subList(COMMON.size(), UNION.size()) : t.specific);
            columns.addAll(TRAILING);
            TABLES.put(t, new WarehouseTable(t.table, columns, "sg_event_id"));
        }
    }

    private EventTables() {}

    public static WarehouseTable table(EventType type) {
        return TABLES.get(type);
    }

    /** The tables in the order of {@link EventType}; {@code activity} is their union. */
    public static List<WarehouseTable> all() {
        return List.copyOf(TABLES.values());
    }

    /** Every documented field (no custom_args, received_at). */
    static List<WarehouseColumn> union() {
        return UNION;
    }

    static ColumnType typeOf(int unionIndex) {
        return UNION.get(unionIndex).type();
    }
}
