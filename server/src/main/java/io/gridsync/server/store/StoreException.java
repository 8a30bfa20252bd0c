package io.gridsync.server.store;

import java.sql.SQLException;

/** The state database failed; what it said is kept. Nothing acknowledged is lost when this is thrown. */
public final class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super("database: " + cause.getMessage(), cause);
    }
}
