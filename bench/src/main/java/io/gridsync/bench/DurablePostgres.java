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

    static EmbeddedPostgres start() throws IOException {
        return EmbeddedPostgres.builder().setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
    }
}
