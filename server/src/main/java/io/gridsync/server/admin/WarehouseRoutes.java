package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.warehouse.Warehouse;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /v1/admin/warehouse/tables}: every table of the warehouse's schemas (webhook capture
 * and mirror) with its row count and its newest {@code received_at} (captured events) and
 * {@code _synced_at} (mirrored objects), so one can see whether data is still arriving; tables
 * with {@code received_at} also say how many rows arrived in the last hour.
 */
public final class WarehouseRoutes {

    private final Warehouse warehouse;
    private final java.time.Clock clock;
    private final Supplier<? extends java.util.Collection<String>> schemas;

    /** @param schemas the schemas written to: each webhook source's and the mirror's */
    public WarehouseRoutes(Warehouse warehouse, Supplier<? extends java.util.Collection<String>> schemas, java.time.Clock clock) {
        this.warehouse = warehouse;
        this.clock = clock;
        this.schemas = schemas;
    }

    public void register(Javalin app) {
        app.get("/v1/admin/warehouse/tables", AdminJson.guard(this::tables));
    }

    private void tables(Context ctx) throws Exception {
        ObjectNode body = AdminJson.MAPPER.createObjectNode();
        body.put("warehouse", warehouse.describe());
        body.put("disk_bytes", warehouse.diskBytes());
        ArrayNode items = body.putArray("tables");
        for (String schema : new java.util.TreeSet<>(schemas.get())) {
            for (String table : warehouse.tables(schema)) {
                items.add(table(schema, table));
            }
        }
        AdminJson.write(ctx, 200, body);
    }

    private ObjectNode table(String schema, String table) {
        Set<String> columns = warehouse.columns(schema, table);
        String received = columns.contains("received_at") ? "MAX(\"received_at\")" : "NULL";
        String synced = columns.contains("_synced_at") ? "MAX(\"_synced_at\")" : "NULL";
        String lastHour = columns.contains("received_at") ? "SUM(CASE WHEN \"received_at\" >= "
                + warehouse.timestampLiteral(clock.instant().minus(java.time.Duration.ofHours(1))) + " THEN 1 ELSE 0 END)" : "NULL";
        ObjectNode o = AdminJson.MAPPER.createObjectNode().put("schema", schema).put("table", table);
        warehouse.query(schema, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), " + received + ", " + synced + ", " + lastHour + " FROM "
                    + warehouse.tableName(schema, table)); ResultSet rs = ps.executeQuery()) {
                rs.next();
                o.put("rows", rs.getLong(1));
                putTime(o, "newest_received_at", rs.getObject(2));
                putTime(o, "newest_synced_at", rs.getObject(3));
                if (columns.contains("received_at")) {
                    o.put("rows_last_hour", rs.getLong(4));
                }
            }
            return null;
        });
        return o;
    }

    /** A warehouse time as ISO-8601, whichever way the database hands it back (timestamp, text or epoch ms). */
    private static void putTime(ObjectNode o, String field, Object v) {
        if (v == null) {
            o.putNull(field);
        } else if (v instanceof java.sql.Timestamp t) {
            o.put(field, t.toInstant().toString());
        } else if (v instanceof OffsetDateTime t) {
            o.put(field, t.toInstant().toString());
        } else if (v instanceof Number n) {
            o.put(field, Instant.ofEpochMilli(n.longValue()).toString());
        } else {
            o.put(field, v.toString());
        }
    }
}
