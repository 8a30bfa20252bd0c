package io.gridsync.server.warehouse;

import java.sql.SQLException;

/** Work inside one warehouse transaction: everything it loads commits together or not at all. */
@FunctionalInterface
public interface WarehouseWork<T> {
    T run(WarehouseTransaction tx) throws SQLException;
}
