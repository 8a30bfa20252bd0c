package io.gridsync.server.journal;

import io.gridsync.server.health.Health;
import io.gridsync.server.health.Supervisor;
import io.gridsync.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A group whose commit waited too long for SQLite's write lock fails as a whole, at once: written
 * again one by one, each append would wait the whole busy timeout again, and everything queued
 * behind it too, so that clients time out instead of being answered 503.
 */
class GroupCommitterContentionTest {

    @TempDir
    Path dir;

    @Test
    void aGroupThatWaitedForTheLockFailsAsAWholeInsteadOfBeingRetriedOneByOne() throws Exception {
        Database db = Database.sqlite(dir);
        LinkedBlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
        List<CompletableFuture<Appended>> appends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Appended> done = new CompletableFuture<>();
            appends.add(done);
            queue.add(new PendingAppend("wk", List.of(new PendingMessage("m" + i, "track", "u" + i, 1L, "{}")), done));
        }
        ExecutorService acks = Executors.newSingleThreadExecutor();
        Supervisor supervisor = new Supervisor(new Health());
        // another writer holds the lock through the whole busy timeout
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gridsync.db"));
             Statement st = holder.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            // ... and lets go as soon as the first append is answered: one retried alone after it would then go in
            appends.get(0).whenComplete((a, e) -> rollback(holder));
            GroupCommitter committer = new GroupCommitter(db, Duration.ofHours(1).toMillis(), queue, n -> {}, seq -> {}, acks,
                    new WriteStatus());
            supervisor.start("journal-writer", null, committer::run); // the three were queued first: one group

            for (CompletableFuture<Appended> a : appends) {
                assertThatThrownBy(() -> a.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(JournalWriteException.class).hasMessageContaining("SQLITE_BUSY");
            }
        } finally {
            queue.add(PendingAppend.STOP);
            supervisor.close();
            acks.shutdown();
            db.close();
        }
        assertThat(appends).allMatch(CompletableFuture::isCompletedExceptionally);
    }

    private static void rollback(Connection holder) {
        try (Statement st = holder.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
