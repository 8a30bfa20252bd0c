package io.gridsync.server.retention;

import io.gridsync.server.store.Database;
import io.gridsync.server.testing.SqliteDatabases;
import io.gridsync.server.testing.TestDatabases;
import io.gridsync.server.warehouse.Warehouse;
import io.gridsync.server.webhook.EventTables;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention on the default SQLite state file; and that the file stops growing once retention runs. */
class RetentionSqliteTest extends RetentionContract {

    static final int PER_ROUND = 1_000;
    static final int ROUNDS = 6;

    @Override
    TestDatabases databases() {
        return new SqliteDatabases(dir.resolve("dbs"));
    }

    @Override
    Map<String, String> databaseEnvironment() {
        return Map.of();
    }

    @Test
    void aNewStateFileHasIncrementalAutoVacuum() {
        try (Database db = Database.sqlite(dir.resolve("fresh"))) {
            assertThat(count(db, "PRAGMA auto_vacuum")).isEqualTo(2); // INCREMENTAL
        }
    }

    /** A small file from before incremental auto-vacuum is converted when retention starts; its rows stay. */
    @Test
    void aSmallOlderFileIsConvertedAtStart() throws Exception {
        Path data = Files.createDirectories(dir.resolve("older"));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("gridsync.db"));
             java.sql.Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL"); // as earlier versions created it: auto_vacuum NONE
        }
        try (Database db = Database.sqlite(data)) {
            assertThat(count(db, "PRAGMA auto_vacuum")).isZero();
            exec(db, "INSERT INTO settings (name, value) VALUES ('kept', 'row')");
            new Retention(db, RetentionSettings.defaults(), null, List::of, java.time.Clock.systemUTC(),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            assertThat(count(db, "PRAGMA auto_vacuum")).isEqualTo(2);
            assertThat(strings(db, "SELECT value FROM settings WHERE name = 'kept'")).containsExactly("row");
        }
    }

    /**
     * Rounds of (collect, deliver to the emulator, retain): the state file (and its WAL) after round
     * k is no larger than after round 2, while each round's messages would add to it without retention.
     */
    @Test
    void theStateFileStopsGrowing() throws Exception {
        startHub(Map.of("GRIDSYNC_JOURNAL_RETENTION", "1h"));
        Database db = hub.database();
        Path file = dir.resolve("data").resolve("gridsync.db");
        List<long[]> sizes = new ArrayList<>(); // [file, wal]
        for (int round = 1; round <= ROUNDS; round++) {
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < PER_ROUND; i++) {
                // the same people every round: the identity ledger holds one row per person, not per message
                messages.add(identify("m" + round + "-" + i, "u" + i, "u" + i + "@x.io",
                        ",\"properties\":{\"note\":\"" + "x".repeat(200) + "\"}"));
            }
            collect(messages);
            awaitUntil(() -> count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'done'") == PER_ROUND, "round delivered");
            clock.set(Instant.now().plus(Duration.ofHours(2)));
            hub.retention().runOnce();
            clock.set(null);
            // messageIds are the journal's, kept for the de-duplication window and purged by its writer once a
            // minute, by the wall clock; these rounds take less than a second, so the test does that purge
            exec(db, "DELETE FROM message_ids");
            assertThat(count(db, "SELECT COUNT(*) FROM messages")).as("round %d retained", round).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM jobs")).isZero();
            sizes.add(new long[]{Files.size(file), walSize(file)});
        }
        System.out.println("state file after each round (file, WAL bytes): "
                + sizes.stream().map(s -> "(" + s[0] + ", " + s[1] + ")").toList());
        // a round adds about 1 MB of messages, jobs and attempts: without retention round 6 would be 4 MB above round 2.
        // The WAL keeps the size of the largest stretch between checkpoints, which varies a little: 10% of slack
        long[] second = sizes.get(1);
        for (int k = 2; k < ROUNDS; k++) {
            assertThat(sizes.get(k)[0]).as("file after round %d vs round 2", k + 1).isLessThanOrEqualTo(second[0]);
            assertThat(sizes.get(k)[0] + sizes.get(k)[1]).as("file + WAL after round %d vs round 2", k + 1)
                    .isLessThanOrEqualTo((long) ((second[0] + second[1]) * 1.1));
        }
    }

    /** Webhook quarantine rows past the history retention go from the source's warehouse schema; younger ones stay. */
    @Test
    void oldQuarantineLeavesTheWarehouse() throws Exception {
        try (Warehouse warehouse = Warehouse.sqlite(dir.resolve("warehouse"))) {
            Instant now = Instant.now();
            warehouse.appendNew("sendgrid", EventTables.QUARANTINE, List.of(
                    new Object[]{"old", now.minus(Duration.ofDays(31)), "sendgrid", "not JSON", false, "x"},
                    new Object[]{"young", now.minus(Duration.ofDays(29)), "sendgrid", "not JSON", false, "y"}));
            QuarantinePurge purge = new QuarantinePurge(warehouse, () -> List.of("sendgrid"), Duration.ofDays(30));
            assertThat(purge.removeChunk(now.toEpochMilli(), 1_000).rows()).containsEntry("_quarantine", 1L);
            List<String> left = warehouse.query("sendgrid", c -> {
                List<String> ids = new ArrayList<>();
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT id FROM _quarantine")) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            });
            assertThat(left).containsExactly("young");
            assertThat(warehouse.diskBytes()).isPositive();
        }
    }

    private static long walSize(Path file) throws java.io.IOException {
        Path wal = Path.of(file + "-wal");
        return Files.exists(wal) ? Files.size(wal) : 0;
    }
}
