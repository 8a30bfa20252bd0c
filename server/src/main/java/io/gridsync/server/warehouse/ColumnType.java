package io.gridsync.server.warehouse;

/**
 * The column types a warehouse table may have, with the Java value each takes in a row:
 * TEXT {@link String}, BIGINT {@link Long} (any integral {@link Number}), DOUBLE {@link Double}
 * (any {@link Number}), BOOLEAN {@link Boolean}, TIMESTAMP {@link java.time.Instant}, JSON a
 * {@link String} holding JSON text. {@code null} is NULL in every type.
 */
public enum ColumnType {
    TEXT, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, JSON
}
