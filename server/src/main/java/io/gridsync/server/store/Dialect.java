package io.gridsync.server.store;

import java.util.Map;

/**
 * The two databases gridsync keeps its state in. The SQL is shared; the few differences
 * (auto-increment keys, pragmas) live here.
 */
public enum Dialect {
    SQLITE(Map.of("id", "INTEGER PRIMARY KEY AUTOINCREMENT"), "classpath:db/migration"),
    POSTGRESQL(Map.of("id", "BIGSERIAL PRIMARY KEY"), "classpath:db/migration", "classpath:db/migration-postgresql");

    /** Flyway placeholders for the migrations. */
    public final Map<String, String> placeholders;
    /** Where its migrations are: the shared ones, and those only it has (their versions are not used in the shared folder). */
    public final String[] migrations;

    Dialect(Map<String, String> placeholders, String... migrations) {
        this.placeholders = placeholders;
        this.migrations = migrations;
    }

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL '" + jdbcUrl.replaceAll("password=[^&]*", "password=***")
                + "': use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
    }
}
