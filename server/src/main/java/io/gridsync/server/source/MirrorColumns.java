package io.gridsync.server.source;

import io.gridsync.server.warehouse.WarehouseColumn;
import io.gridsync.server.warehouse.WarehouseTable;

import java.util.ArrayList;
import java.util.List;

/**
 * The two columns every mirrored table ends with: {@code _synced_at}, when the run that last saw
 * the object started, and {@code _deleted_at}, set by the first full run that no longer saw it
 * (and cleared if it comes back).
 */
final class MirrorColumns {

    static final String SYNCED_AT = "_synced_at";
    static final String DELETED_AT = "_deleted_at";

    private MirrorColumns() {}

    /** A table keyed by {@code id} with {@code columns} and the two mirror columns after them. */
    static WarehouseTable table(String name, List<WarehouseColumn> columns) {
        return table(name, columns, "id");
    }

    /** A table keyed by {@code key} (objects without an id of their own: suppressed addresses, memberships, days). */
    static WarehouseTable table(String name, List<WarehouseColumn> columns, String... key) {
        List<WarehouseColumn> all = new ArrayList<>(columns);
        all.add(WarehouseColumn.timestamp(SYNCED_AT));
        all.add(WarehouseColumn.timestamp(DELETED_AT));
        return new WarehouseTable(name, all, key);
    }
}
