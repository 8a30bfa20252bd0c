package io.gridsync.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.server.warehouse.WarehouseColumn;
import io.gridsync.server.warehouse.WarehouseTable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.gridsync.server.warehouse.WarehouseColumn.text;
import static io.gridsync.server.warehouse.WarehouseColumn.timestamp;

/**
 * One of SendGrid's address suppression lists ({@code GET /v3/suppression/{list}}, 500 per page by
 * {@code limit}/{@code offset}), one row per address. Incremental on {@code created}: a run asks only
 * for entries created since the newest one it has, less {@link #LOOK_BACK} for entries SendGrid
 * records late; once a day ({@link #FULL_PASS_EVERY}) it reads the whole list, which marks the
 * addresses removed from it deleted.
 */
final class SuppressionListCollection implements MirroredCollection {

    static final Duration LOOK_BACK = Duration.ofHours(1);
    static final Duration FULL_PASS_EVERY = Duration.ofDays(1);
    static final int PAGE = 500;

    static final SuppressionListCollection BOUNCES = new SuppressionListCollection("bounces", "bounces", "reason", "status");
    static final SuppressionListCollection BLOCKS = new SuppressionListCollection("blocks", "blocks", "reason", "status");
    static final SuppressionListCollection SPAM_REPORTS = new SuppressionListCollection("spam_reports", "spam_reports", "ip");
    static final SuppressionListCollection INVALID_EMAILS = new SuppressionListCollection("invalid_emails", "invalid_emails", "reason");
    /** Global unsubscribes, which SendGrid lists as {@code /v3/suppression/unsubscribes}. */
    static final SuppressionListCollection GLOBAL_SUPPRESSIONS = new SuppressionListCollection("global_suppressions", "unsubscribes");

    private final String list;
    private final List<String> fields;
    private final WarehouseTable table;

    private SuppressionListCollection(String name, String list, String... fields) {
        this.list = list;
        this.fields = List.of(fields);
        List<WarehouseColumn> columns = new ArrayList<>(List.of(text("email"), timestamp("created")));
        this.fields.forEach(f -> columns.add(text(f)));
        this.table = MirrorColumns.table(name, columns, "email");
    }

    @Override
    public WarehouseTable table() {
        return table;
    }

    @Override
    public Set<String> scopes() {
        return Set.of("suppression." + list + ".read");
    }

    @Override
    public String syncMode() {
        return "incremental";
    }

    @Override
    public CollectionResult sync(SyncContext ctx) {
        boolean full = MirrorCursor.fullPassDue(ctx, table, FULL_PASS_EVERY);
        Instant newest = full ? null : MirrorCursor.instant(MirrorCursor.newest(ctx, table, "created"));
        String from = newest == null ? "" : "&start_time=" + newest.minus(LOOK_BACK).getEpochSecond();
        RowValues v = new RowValues(table);
        TableLoad load = ctx.load(table);
        for (int offset = 0; ; offset += PAGE) {
            JsonNode page = ctx.get("/v3/suppression/" + list, "/v3/suppression/" + list + "?limit=" + PAGE + "&offset=" + offset + from);
            for (JsonNode e : page) {
                Object[] row = v.row();
                v.set(row, "email", e.path("email").asText());
                v.set(row, "created", e.hasNonNull("created") ? Instant.ofEpochSecond(e.get("created").asLong()) : null);
                for (String f : fields) {
                    v.set(row, f, e.hasNonNull(f) ? e.get(f).asText() : null);
                }
                load.add(row);
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return full ? load.finish() : load.finishIncremental();
    }
}
