package io.gridsync.server.warehouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The warehouse in SQLite files, one per schema. */
class WarehouseSqliteTest extends WarehouseContract {

    @TempDir
    Path dir;

    @Override
    Warehouse open() {
        return Warehouse.open(null, null, null, dir);
    }

    @Test
    void eachSchemaIsOneFileUnderTheDataDirectory() {
        warehouse.appendNew("sendgrid", LISTS, List.<Object[]>of(list("a", "A", 1)));
        assertThat(dir.resolve("warehouse/sendgrid.db")).exists();
        // timestamps are fixed-width ISO 8601 text in UTC, which sorts as time and SQLite's date functions read
        String stored = warehouse.query("sendgrid", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT updated_at, strftime('%s', updated_at) FROM lists")) {
                rs.next();
                return rs.getString(1) + " " + rs.getString(2);
            }
        });
        assertThat(stored).isEqualTo("2024-05-01T12:00:00.000Z 1714564800");
        assertThatThrownBy(() -> count("nothing_here", "lists", null)).hasMessageContaining("no such table"); // a read creates nothing
        assertThat(dir.resolve("warehouse/nothing_here.db")).doesNotExist();
    }

    @Test
    void theWalStaysBoundedUnderCommitsThatNeverPause() throws Exception {
        // a WAL is only started over once a checkpoint has copied all of it; commits that follow
        // each other without a pause never let that happen, unless the checkpointer makes it
        long limit = 1 << 20;
        Path files = dir.resolve("bounded");
        long written = 0;
        long largest = 0;
        try (Warehouse w = new Warehouse(new SqliteWarehouse(files, limit))) {
            String pad = "x".repeat(900);
            int id = 0;
            long until = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < until || written < 20L * limit) {
                List<Object[]> rows = new ArrayList<>();
                for (int i = 0; i < 200; i++, id++) {
                    rows.add(list("l" + id, pad, id));
                }
                w.appendNew("sendgrid", LISTS, rows);
                written += 200L * pad.length();
                Path wal = files.resolve("sendgrid.db-wal");
                largest = Math.max(largest, Files.exists(wal) ? Files.size(wal) : 0);
            }
            assertThat(count(w, id)).isEqualTo(id);
        }
        assertThat(written).isGreaterThan(20L * limit);
        // the checkpointer looks twice a second, so the WAL can pass the limit by what is written
        // meanwhile; without the restart it would hold everything ever written (more, with headers)
        assertThat(largest).as("largest WAL after writing %d bytes", written).isLessThan(written / 2);
    }

    private static long count(Warehouse w, int expected) {
        return w.query("sendgrid", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM lists")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
