package io.gridsync.server.source;

import io.gridsync.server.warehouse.WarehouseTable;

import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Where an incremental collection resumes, read from its own table, so no cursor is kept beside
 * the data that could disagree with it: the newest value of its cursor column among the rows not
 * deleted, and whether its last full pass (the oldest {@code _synced_at} of those rows: a full pass
 * stamps every row, an incremental one only what it re-read) is older than {@code fullPassEvery}.
 */
final class MirrorCursor {

    private MirrorCursor() {}

    /** MAX({@code column}) of the live rows, as written (an instant for timestamps, text for text); null for an empty table. */
    static Object newest(SyncContext ctx, WarehouseTable table, String column) {
        return aggregate(ctx, table, "MAX(" + column + ")");
    }

    /** True when the table is empty or its oldest live row was synced more than {@code fullPassEvery} before this run. */
    static boolean fullPassDue(SyncContext ctx, WarehouseTable table, Duration fullPassEvery) {
        Object oldest = aggregate(ctx, table, "MIN(" + MirrorColumns.SYNCED_AT + ")");
        Instant at = instant(oldest);
        return at == null || at.isBefore(ctx.runAt().minus(fullPassEvery));
    }

    private static Object aggregate(SyncContext ctx, WarehouseTable table, String expression) {
        ctx.warehouse().ensure(ctx.schema(), table);
        return ctx.warehouse().query(ctx.schema(), c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + expression + " FROM "
                    + ctx.warehouse().tableName(ctx.schema(), table.name()) + " WHERE " + MirrorColumns.DELETED_AT + " IS NULL")) {
                rs.next();
                Object v = rs.getObject(1);
                return v instanceof String text ? (Object) text : instant(v);
            }
        });
    }

    /** A TIMESTAMP column's value as each warehouse's driver answers it (SQLite: ISO text). */
    static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        return SendGridTimes.parse(v.toString());
    }
}
