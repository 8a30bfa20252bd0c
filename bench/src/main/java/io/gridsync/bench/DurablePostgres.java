package io.gridsync.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;

/**
 * An embedded PostgreSQL that commits as a real server does: zonky's defaults turn {@code fsync}
 * and {@code synchronous_commit} off (fast tests, nothing survives a power cut), which would let
 * PostgreSQL's numbers skip the flush that SQLite's ({@code synchronous=FULL}) pay for. Everything
 * else is PostgreSQL's default configuration.
 */
final class DurablePostgres {

    private DurablePostgres() {}

    /** Also takes settings from {@code -Dpg.config=name=value,name=value} (to measure a tuned server beside the default one). */
    static EmbeddedPostgres start() throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
        String extra = System.getProperty("pg.config", "");
        for (String setting : extra.split(",")) {
            int eq = setting.indexOf('=');
            if (eq > 0) {
                b.setServerConfig(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
                System.err.println("PostgreSQL setting: " + setting.trim());
            }
        }
        return b.start();
    }
}
