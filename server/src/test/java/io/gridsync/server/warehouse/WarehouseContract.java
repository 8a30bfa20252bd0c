package io.gridsync.server.warehouse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.gridsync.server.warehouse.WarehouseColumn.bigint;
import static io.gridsync.server.warehouse.WarehouseColumn.bool;
import static io.gridsync.server.warehouse.WarehouseColumn.dbl;
import static io.gridsync.server.warehouse.WarehouseColumn.json;
import static io.gridsync.server.warehouse.WarehouseColumn.text;
import static io.gridsync.server.warehouse.WarehouseColumn.timestamp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The warehouse's three verbs on each database (subclasses): ensure creates and widens tables,
 * appendNew skips keys already there, upsert updates by key, every column type round-trips, and
 * loads big enough for each fast path (COPY, Appender, multi-row inserts) count right.
 */
abstract class WarehouseContract {

    static final WarehouseTable LISTS = new WarehouseTable("lists", List.of(text("id"), text("name"), bigint("contact_count"),
            dbl("score"), bool("active"), timestamp("updated_at"), json("meta")), "id");

    Warehouse warehouse;

    abstract Warehouse open();

    @BeforeEach
    void start() {
        warehouse = open();
    }

    @AfterEach
    void stop() {
        warehouse.close();
    }

    static Object[] list(String id, String name, long count) {
        return new Object[]{id, name, count, 1.5, true, Instant.parse("2024-05-01T12:00:00Z"), "{\"k\":\"v\"}"};
    }

    long count(String schema, String table, String where) {
        return warehouse.query(schema, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM "
                    + warehouse.tableName(schema, table) + (where == null ? "" : " WHERE " + where))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void appendNewSkipsKeysAlreadyThereAndRepeatsInTheLoad() {
        assertThat(warehouse.appendNew("mirror", LISTS, List.<Object[]>of(list("a", "A", 1), list("b", "B", 2), list("a", "A again", 3))))
                .isEqualTo(2);
        assertThat(warehouse.appendNew("mirror", LISTS, List.<Object[]>of(list("b", "B2", 9), list("c", "C", 3)))).isEqualTo(1);
        assertThat(count("mirror", "lists", null)).isEqualTo(3);
        assertThat(count("mirror", "lists", "name = 'A' AND contact_count = 1")).isEqualTo(1); // the first of equal keys
        assertThat(count("mirror", "lists", "name = 'B' AND contact_count = 2")).isEqualTo(1); // never overwritten
    }

    @Test
    void preparedPartsLoadInOneGoAndEachKeyOnce() {
        // parts prepared apart (as request threads do), loaded by one writer in one transaction
        PreparedRows first = warehouse.prepare(LISTS, List.<Object[]>of(list("a", "A", 1), list("b", "B", 2), list("a", "A again", 3)));
        PreparedRows second = warehouse.prepare(LISTS, List.<Object[]>of(list("b", "B", 2), list("c", "C", 3)));
        assertThat(first.size()).isEqualTo(2); // the first of equal keys within a part
        assertThat((int) warehouse.transaction("mirror", tx -> tx.appendPrepared(LISTS, List.of(first, second)))).isEqualTo(3);
        assertThat(count("mirror", "lists", null)).isEqualTo(3);
        assertThat(count("mirror", "lists", "name = 'A' AND contact_count = 1")).isEqualTo(1);
        assertThat(count("mirror", "lists", "score = 1.5 AND active = true")).isEqualTo(3); // values converted alike
        PreparedRows again = warehouse.prepare(LISTS, List.<Object[]>of(list("c", "C", 3), list("d", "D", 4)));
        assertThat((int) warehouse.transaction("mirror", tx -> tx.appendPrepared(LISTS, List.of(again)))).isEqualTo(1);
        assertThatThrownBy(() -> warehouse.transaction("mirror", tx -> tx.appendPrepared(OTHER_TABLE, List.of(again))))
                .hasMessageContaining("cannot load into");
    }

    @Test
    void twoWritersPreparingANewSchemaAtTheSameMomentBothSucceed() throws Exception {
        // two capture writers, the mirror and the admin API may each prepare a source's schema first;
        // on PostgreSQL, CREATE ... IF NOT EXISTS alone failed one of two such sessions on the catalog's index
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String schema = "race_" + round;
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<Integer>> both = new java.util.ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    both.add(two.submit(() -> {
                        together.await();
                        return warehouse.ensureUnionView(schema, "all_lists", List.of(LISTS, OTHER_TABLE));
                    }));
                }
                for (var f : both) {
                    f.get(); // an exception in either writer fails the test here
                }
                assertThat(warehouse.tables(schema)).contains("lists", "other_lists", "all_lists");
            }
        } finally {
            two.shutdownNow();
        }
    }

    static final WarehouseTable OTHER_TABLE = new WarehouseTable("other_lists", List.of(text("id")), "id");

    @Test
    void upsertUpdatesByKeySoASecondRunShowsTheLatestState() {
        warehouse.upsert("mirror", LISTS, List.<Object[]>of(list("a", "A", 1), list("b", "B", 2)));
        assertThat(warehouse.upsert("mirror", LISTS, List.<Object[]>of(list("a", "renamed", 10), list("c", "C", 3), list("c", "C last", 4))))
                .isEqualTo(2);
        assertThat(count("mirror", "lists", null)).isEqualTo(3);
        assertThat(count("mirror", "lists", "name = 'renamed' AND contact_count = 10")).isEqualTo(1);
        assertThat(count("mirror", "lists", "name = 'C last' AND contact_count = 4")).isEqualTo(1);
    }

    @Test
    void everyColumnTypeRoundTripsAndNullsStayNull() {
        Object[] nulls = LISTS.row();
        nulls[0] = "n";
        warehouse.appendNew("types", LISTS, List.<Object[]>of(list("x", "it's \"quoted\"\ttab\\slash\nline", -42), nulls));
        warehouse.query("types", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, contact_count, score, active, updated_at, meta FROM "
                    + warehouse.tableName("types", "lists") + " ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isNull();
                assertThat(rs.getObject(2)).isNull();
                assertThat(rs.getObject(4)).isNull();
                assertThat(rs.getObject(5)).isNull();
                assertThat(rs.getObject(6)).isNull();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("it's \"quoted\"\ttab\\slash\nline");
                assertThat(rs.getLong(2)).isEqualTo(-42);
                assertThat(rs.getDouble(3)).isEqualTo(1.5);
                assertThat(rs.getBoolean(4)).isTrue();
                assertThat(rs.getString(5)).startsWith("2024-05-01").contains("12:00");
                assertThat(rs.getString(6).replace(" ", "")).isEqualTo("{\"k\":\"v\"}");
                return null;
            }
        });
        assertThat(count("types", "lists", "active")).isEqualTo(1);
    }

    static final WarehouseTable MIRRORED = new WarehouseTable("mirrored", List.of(text("id"), text("name"), timestamp("_synced_at"),
            timestamp("_deleted_at")), "id");

    static Object[] mirrored(String id, Instant syncedAt) {
        return new Object[]{id, "name " + id, syncedAt, null};
    }

    @Test
    void markUnseenStampsTheRowsAFullLoadDidNotSeeAndALaterLoadRevivesThem() {
        Instant t1 = Instant.parse("2024-05-01T12:00:00.001Z");
        Instant t2 = Instant.parse("2024-05-01T15:00:00.002Z");
        Instant t3 = Instant.parse("2024-05-01T18:00:00Z");
        warehouse.upsert("mirror", MIRRORED, List.<Object[]>of(mirrored("a", t1), mirrored("b", t1), mirrored("c", t1)));
        warehouse.upsert("mirror", MIRRORED, List.<Object[]>of(mirrored("a", t2), mirrored("c", t2)));
        int marked = warehouse.transaction("mirror", tx -> tx.markUnseen(MIRRORED, "_synced_at", "_deleted_at", t2));
        assertThat(marked).isEqualTo(1);
        assertThat(count("mirror", "mirrored", "_deleted_at IS NOT NULL AND id = 'b'")).isEqualTo(1);
        int again = warehouse.transaction("mirror", tx -> tx.markUnseen(MIRRORED, "_synced_at", "_deleted_at", t2));
        assertThat(again).isZero();
        warehouse.query("mirror", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT _deleted_at FROM "
                    + warehouse.tableName("mirror", "mirrored") + " WHERE id = 'b'")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("2024-05-01").contains("15:00:00.002");
                return null;
            }
        });
        warehouse.upsert("mirror", MIRRORED, List.<Object[]>of(mirrored("b", t3)));
        assertThat(count("mirror", "mirrored", "_deleted_at IS NULL")).isEqualTo(3);
        assertThatThrownBy(() -> warehouse.transaction("mirror", tx -> tx.markUnseen(MIRRORED, "name", "_deleted_at", t3)))
                .hasMessageContaining("TIMESTAMP column name");
    }

    @Test
    void ensureAddsMissingColumnsToAnExistingTable() {
        warehouse.appendNew("grow", LISTS, List.<Object[]>of(list("a", "A", 1)));
        List<WarehouseColumn> wider = new ArrayList<>(LISTS.columns());
        wider.add(text("description"));
        WarehouseTable v2 = new WarehouseTable("lists", wider, "id");
        Object[] row = v2.row();
        System.arraycopy(list("b", "B", 2), 0, row, 0, LISTS.width());
        row[v2.indexOf("description")] = "new column";
        assertThat(warehouse.appendNew("grow", v2, List.<Object[]>of(row))).isEqualTo(1);
        assertThat(count("grow", "lists", "description IS NULL")).isEqualTo(1);
        assertThat(count("grow", "lists", "description = 'new column'")).isEqualTo(1);
    }

    @Test
    void bigLoadsThroughTheFastPathCountOnlyNewRows() {
        List<Object[]> first = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            first.add(list("id-" + i, "name " + i, i));
        }
        assertThat(warehouse.appendNew("big", LISTS, first)).isEqualTo(5000);
        List<Object[]> second = new ArrayList<>();
        for (int i = 4000; i < 7000; i++) {
            second.add(list("id-" + i, "again " + i, i));
        }
        assertThat(warehouse.appendNew("big", LISTS, second)).isEqualTo(2000);
        assertThat(warehouse.upsert("big", LISTS, second)).isEqualTo(3000);
        assertThat(count("big", "lists", null)).isEqualTo(7000);
        assertThat(count("big", "lists", "name LIKE 'again%'")).isEqualTo(3000);
    }

    @Test
    void aTransactionCommitsAllItsLoadsOrNone() {
        WarehouseTable other = new WarehouseTable("other", List.of(text("id")), "id");
        assertThatThrownBy(() -> warehouse.transaction("tx", tx -> {
            tx.appendNew(LISTS, List.<Object[]>of(list("a", "A", 1)));
            tx.appendNew(other, List.<Object[]>of(new Object[]{"x"}));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        warehouse.transaction("tx", tx -> {
            tx.appendNew(LISTS, List.<Object[]>of(list("b", "B", 1)));
            return tx.appendNew(other, List.<Object[]>of(new Object[]{"y"}));
        });
        assertThat(count("tx", "lists", null)).isEqualTo(1);
        assertThat(count("tx", "other", null)).isEqualTo(1);
    }

    @Test
    void aUnionViewHoldsEveryRowOfItsTables() {
        WarehouseTable a = new WarehouseTable("a", List.of(text("id"), bigint("n")), "id");
        WarehouseTable b = new WarehouseTable("b", List.of(text("id"), text("s")), "id");
        warehouse.appendNew("v", a, List.<Object[]>of(new Object[]{"1", 5L}));
        warehouse.appendNew("v", b, List.<Object[]>of(new Object[]{"2", "x"}));
        warehouse.ensureUnionView("v", "everything", List.of(a, b));
        assertThat(count("v", "everything", null)).isEqualTo(2);
        assertThat(count("v", "everything", "n = 5 AND s IS NULL")).isEqualTo(1);
    }

    @Test
    void wrongValuesAreRefusedWithTheColumnNamed() {
        Object[] bad = list("a", "A", 1);
        bad[2] = "not a number";
        assertThatThrownBy(() -> warehouse.appendNew("bad", LISTS, List.<Object[]>of(bad)))
                .hasMessageContaining("lists.contact_count");
        assertThatThrownBy(() -> warehouse.appendNew("Bad-Schema", LISTS, List.<Object[]>of(list("a", "A", 1))))
                .hasMessageContaining("schema name");
    }
}
