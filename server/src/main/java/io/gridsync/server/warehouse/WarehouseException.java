package io.gridsync.server.warehouse;

/** A warehouse operation failed; the message names the schema and table, never a password. */
public final class WarehouseException extends RuntimeException {
    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
