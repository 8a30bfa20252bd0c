package io.gridsync.server.source;

import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.MirrorAccount;
import io.gridsync.server.warehouse.Warehouse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schedule: a source runs one interval after its last run started (a new one shortly after the
 * scheduler starts), a disabled or "off" source never runs on its own, asking for a run while one is
 * queued or running returns that run, and closing the scheduler records queued runs as interrupted.
 */
class SyncSchedulerTest {

    @TempDir
    Path dir;

    Emulator emulator;
    Database db;
    Warehouse warehouse;
    SourceRuns runs;
    SourceSync sync;
    SyncScheduler scheduler;

    @BeforeEach
    void start() {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        MirrorAccount sg = new MirrorAccount(emulator.baseUrl(), "SG.scheduler-test");
        String list = sg.createList("few");
        sg.putContacts(List.of(list), 0, 3, i -> "{\"email\":\"s" + i + "@example.com\"}");
        db = Database.sqlite(dir.resolve("state"));
        warehouse = Warehouse.sqlite(dir.resolve("warehouse"));
        runs = new SourceRuns(db);
        sync = new SourceSync(warehouse, runs, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        sync.close();
        warehouse.close();
        db.close();
        emulator.close();
    }

    Source source(String name, Duration interval, boolean enabled) {
        return new Source(name, SourceSettings.defaultSchema(name), emulator.baseUrl(), new ApiKey("SG.scheduler-test"), interval,
                enabled, "test");
    }

    @Test
    void aSourceRunsEveryIntervalAndDisabledOrOffSourcesDoNot() {
        SourceDirectory sources = SourceDirectory.of(source("every second", Duration.ofSeconds(1), true),
                source("disabled", Duration.ofSeconds(1), false), source("off", Duration.ZERO, true));
        scheduler = new SyncScheduler(sources, runs, sync, Clock.systemUTC()).start(Duration.ofMillis(50));

        long deadline = System.nanoTime() + 60_000_000_000L;
        while (runs.list("every second", 10).stream().filter(r -> r.status() == RunStatus.SUCCEEDED).count() < 3
                && System.nanoTime() < deadline) {
            sleep(50);
        }
        List<SourceRun> done = runs.list("every second", 10).stream().filter(r -> r.status() == RunStatus.SUCCEEDED).toList();
        assertThat(done).hasSizeGreaterThanOrEqualTo(3);
        assertThat(done).allSatisfy(r -> {
            assertThat(r.trigger()).isEqualTo("schedule");
            assertThat(r.rows().get("recipients")).isEqualTo(3L);
        });
        // one interval apart at least: each is due an interval after the previous one started
        for (int i = 0; i + 1 < done.size(); i++) {
            assertThat(Duration.between(done.get(i + 1).startedAt(), done.get(i).startedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertThat(runs.list("disabled", 10)).isEmpty();
        assertThat(runs.list("off", 10)).isEmpty();
        assertThat(scheduler.nextRunAt(source("off", Duration.ZERO, true))).isEmpty();
    }

    @Test
    void askingWhileARunIsQueuedOrRunningReturnsThatRun() {
        scheduler = new SyncScheduler(SourceDirectory.of(source("sendgrid", Duration.ZERO, true)), runs, sync, Clock.systemUTC())
                .start(Duration.ofSeconds(30));
        BegunRun first = scheduler.trigger("sendgrid", "admin");
        BegunRun again = scheduler.trigger("sendgrid", "admin");
        assertThat(first.existing()).isFalse();
        if (again.existing()) {
            assertThat(again.run().id()).isEqualTo(first.run().id());
        } else {
            // the first had already finished: then this is a new run
            assertThat(runs.get(first.run().id()).orElseThrow().status().active()).isFalse();
        }
        assertThatThrownBy(() -> scheduler.trigger("nope", "admin")).hasMessageContaining("no source named 'nope'");
    }

    @Test
    void aRunWithoutHeartbeatIsAbandonedAndTheNextBeginClosesIt() {
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        BegunRun stale = runs.begin("sendgrid", "cli", t0);
        assertThat(runs.begin("sendgrid", "cli", t0.plusSeconds(30)).existing()).isTrue();
        BegunRun next = runs.begin("sendgrid", "admin", t0.plus(SourceRuns.ABANDONED_AFTER).plusSeconds(1));
        assertThat(next.existing()).isFalse();
        SourceRun closed = runs.get(stale.run().id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(closed.error()).contains("stopped before it finished");
        assertThat(closed.finishedAt()).isNotNull();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
