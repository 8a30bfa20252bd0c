package io.gridsync.server.warehouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
}
