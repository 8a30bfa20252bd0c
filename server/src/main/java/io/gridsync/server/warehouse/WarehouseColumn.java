package io.gridsync.server.warehouse;

/** One typed column of a {@link WarehouseTable}. */
public record WarehouseColumn(String name, ColumnType type) {

    public WarehouseColumn {
        WarehouseTable.checkName(name, "column");
    }

    public static WarehouseColumn text(String name) {
        return new WarehouseColumn(name, ColumnType.TEXT);
    }

    public static WarehouseColumn bigint(String name) {
        return new WarehouseColumn(name, ColumnType.BIGINT);
    }

    public static WarehouseColumn dbl(String name) {
        return new WarehouseColumn(name, ColumnType.DOUBLE);
    }

    public static WarehouseColumn bool(String name) {
        return new WarehouseColumn(name, ColumnType.BOOLEAN);
    }

    public static WarehouseColumn timestamp(String name) {
        return new WarehouseColumn(name, ColumnType.TIMESTAMP);
    }

    public static WarehouseColumn json(String name) {
        return new WarehouseColumn(name, ColumnType.JSON);
    }
}
