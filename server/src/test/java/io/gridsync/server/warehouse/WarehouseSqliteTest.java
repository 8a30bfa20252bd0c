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
        assertThatThrownBy(() -> count("nothing_here", "lists", null)).hasMessageContaining("no such table"); // a read creates nothing
        assertThat(dir.resolve("warehouse/nothing_here.db")).doesNotExist();
    }
}
