package io.gridsync.server.warehouse;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on a warehouse connection; the connection is the work's for its duration only. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
