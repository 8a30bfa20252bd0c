package io.gridsync.server.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journal on one database kind: what is appended is stored once, in order, durably. */
abstract class JournalContract {

    static final ObjectMapper M = new ObjectMapper();

    abstract TestDatabases databases();

    String name;
    Database db;
    Journal journal;

    @BeforeEach
    void open() {
        name = databases().create();
        db = databases().open(name);
        journal = new Journal(db, Duration.ofHours(24));
    }

    @AfterEach
    void closeAll() {
        journal.close();
        db.close();
    }

    static ObjectNode track(String messageId, String userId, String event) {
        ObjectNode m = M.createObjectNode().put("type", "track").put("event", event).put("timestamp", "2024-05-01T10:00:00.000Z");
        if (messageId != null) {
            m.put("messageId", messageId);
        }
        if (userId != null) {
            m.put("userId", userId);
        } else {
            m.put("anonymousId", "anon-1");
        }
        return m;
    }

    static Appended await(CompletableFuture<Appended> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static void poll(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void storesMessagesInOrderWithIdsPersonsAndReceivedAt() throws Exception {
        long before = System.currentTimeMillis();
        Appended a = await(journal.append("wk", List.of(track("m1", "u1", "A"), track(null, null, "B"),
                M.createObjectNode().put("type", "Identify").put("userId", 42).put("messageId", "m3"))));
        assertThat(a).isEqualTo(new Appended(3, 0));

        List<JournalEntry> entries = journal.readAfter(0, 10);
        assertThat(entries).hasSize(3);
        assertThat(entries).extracting(JournalEntry::type).containsExactly("track", "track", "identify");
        assertThat(entries).extracting(JournalEntry::personKey).containsExactly("user:u1", "anon:anon-1", "user:42");
        assertThat(entries).extracting(JournalEntry::writeKey).containsOnly("wk");
        assertThat(entries.get(0).seq()).isLessThan(entries.get(1).seq());
        assertThat(entries.get(1).seq()).isLessThan(entries.get(2).seq());
        JournalEntry generated = entries.get(1);
        assertThat(generated.messageId()).isNotBlank().isEqualTo(generated.body().get("messageId").asText());
        for (JournalEntry e : entries) {
            assertThat(e.receivedAt()).isGreaterThanOrEqualTo(before);
            assertThat(Instant.parse(e.body().get("receivedAt").asText()).toEpochMilli()).isEqualTo(e.receivedAt());
        }
        assertThat(entries.get(0).body().get("timestamp").asText()).isEqualTo("2024-05-01T10:00:00.000Z");
        assertThat(entries.get(0).body().get("event").asText()).isEqualTo("A");

        assertThat(journal.lastSeq()).isEqualTo(entries.get(2).seq());
        assertThat(journal.bySeq(entries.get(1).seq())).isEqualTo(entries.get(1));
        assertThat(journal.bySeq(entries.get(2).seq() + 1000)).isNull();
        assertThat(journal.readAfter(entries.get(0).seq(), 1)).containsExactly(entries.get(1));
        assertThat(journal.readAfter(journal.lastSeq(), 10)).isEmpty();
    }

    @Test
    void bodiesAndIdsComeBackByteForByteWhateverCharactersTheyHold() throws Exception {
        // what the PostgreSQL writer's COPY text format must escape, and what must pass through as is
        String awkward = "tab\there, line\nbreak, cr\r, back\\slash \\N, quote \" é ✓ 𝄞 \u0001";
        ObjectNode m = track("id\twith\\odd\nchars", "user\\1\t", "E\\vent\n");
        m.putObject("properties").put("text", awkward).put("json", "{\"a\":[1,\"b\\\"c\"]}");
        assertThat(await(journal.append("wk\\key", List.of(m)))).isEqualTo(new Appended(1, 0));

        JournalEntry e = journal.readAfter(0, 10).get(0);
        assertThat(e.messageId()).isEqualTo("id\twith\\odd\nchars");
        assertThat(e.writeKey()).isEqualTo("wk\\key");
        assertThat(e.personKey()).isEqualTo("user:user\\1\t");
        assertThat(e.body().get("event").asText()).isEqualTo("E\\vent\n");
        assertThat(e.body().get("properties").get("text").asText()).isEqualTo(awkward);
        assertThat(e.body().get("properties").get("json").asText()).isEqualTo("{\"a\":[1,\"b\\\"c\"]}");
        // the same id again is a duplicate: the claim compares what was stored, not an escaped copy
        assertThat(await(journal.append("wk", List.of(track("id\twith\\odd\nchars", "u", "E"))))).isEqualTo(new Appended(0, 1));
    }

    @Test
    void aGroupLargerThanOneStatementKeepsItsOrder() throws Exception {
        List<ObjectNode> many = new ArrayList<>();
        for (int i = 0; i < 2_345; i++) {
            many.add(track("big-" + i, "u" + (i % 7), "E" + i));
        }
        assertThat(await(journal.append("wk", many))).isEqualTo(new Appended(2_345, 0));
        List<JournalEntry> entries = journal.readAfter(0, 3_000);
        assertThat(entries).extracting(JournalEntry::messageId).containsExactlyElementsOf(
                many.stream().map(n -> n.get("messageId").asText()).toList());
    }

    @Test
    void aMessageIdSeenWithinTheWindowIsAcknowledgedButNotStoredAgain() throws Exception {
        assertThat(await(journal.append("wk", List.of(track("dup", "u1", "A"), track("dup", "u1", "A again")))))
                .isEqualTo(new Appended(1, 1));
        assertThat(await(journal.append("wk", List.of(track("dup", "u1", "A"), track("new", "u1", "B")))))
                .isEqualTo(new Appended(1, 1));
        assertThat(journal.readAfter(0, 10)).extracting(JournalEntry::messageId).containsExactly("dup", "new");
    }

    @Test
    void aMessageIdIsStoredAgainOnceTheWindowHasPassedAndExpiredIdsArePurged() throws Exception {
        journal.close();
        journal = new Journal(db, Duration.ofMillis(50));
        assertThat(await(journal.append("wk", List.of(track("again", "u1", "A"))))).isEqualTo(new Appended(1, 0));
        poll(() -> {
            try {
                return await(journal.append("wk", List.of(track("again", "u1", "A")))).accepted() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(journal.readAfter(0, 100)).extracting(JournalEntry::messageId).containsOnly("again").hasSizeGreaterThanOrEqualTo(2);
        poll(() -> journal.purgeExpiredIds() > 0);
    }

    @Test
    void listenersHearOfEachCommitWithNewEntriesAndLastSeqFollows() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        journal.onAppend(calls::incrementAndGet);
        await(journal.append("wk", List.of(track("l1", "u1", "A"))));
        poll(() -> calls.get() == 1);
        await(journal.append("wk", List.of(track("l1", "u1", "A")))); // a duplicate only: nothing new
        await(journal.append("wk", List.of(track("l2", "u1", "A"))));
        poll(() -> calls.get() == 2);
        assertThat(journal.lastSeq()).isEqualTo(journal.readAfter(0, 10).get(1).seq());
    }

    @Test
    void whatWasAcknowledgedSurvivesARestart() throws Exception {
        await(journal.append("wk", List.of(track("d1", "u1", "A"), track("d2", "u2", "B"))));
        List<JournalEntry> before = journal.readAfter(0, 10);
        journal.close();
        db.close();

        db = databases().open(name);
        journal = new Journal(db, Duration.ofHours(24));
        assertThat(journal.readAfter(0, 10)).isEqualTo(before);
        assertThat(journal.lastSeq()).isEqualTo(before.get(1).seq());
        // the de-duplication window survives too, and seqs keep increasing
        assertThat(await(journal.append("wk", List.of(track("d1", "u1", "A"), track("d3", "u3", "C")))))
                .isEqualTo(new Appended(1, 1));
        assertThat(journal.bySeq(journal.lastSeq()).messageId()).isEqualTo("d3");
        assertThat(journal.lastSeq()).isGreaterThan(before.get(1).seq());
    }

    @Test
    void closeWritesEverythingAlreadyAppendedThenRefusesMore() throws Exception {
        List<CompletableFuture<Appended>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(journal.append("wk", List.of(track("c" + i, "u" + i, "E"))));
        }
        journal.close();
        for (CompletableFuture<Appended> f : futures) {
            assertThat(f).isCompletedWithValue(new Appended(1, 0));
        }
        assertThat(journal.readAfter(0, 100)).hasSize(50);
        assertThatThrownBy(() -> journal.append("wk", List.of(track("late", "u", "E"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void refusesAppendsWhileTooManyMessagesWaitForACommit() throws Exception {
        journal.close();
        journal = new Journal(db, Duration.ofHours(24), 10);
        CompletableFuture<Appended> first;
        try (AutoCloseable lock = databases().lockJournal(db)) {
            List<ObjectNode> ten = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ten.add(track("bp" + i, "u", "E"));
            }
            first = journal.append("wk", ten);
            assertThat(journal.pending()).isEqualTo(10);
            assertThatThrownBy(() -> journal.append("wk", List.of(track("bp-more", "u", "E"))))
                    .isInstanceOf(JournalFullException.class).hasMessageContaining("retry");
        }
        assertThat(await(first)).isEqualTo(new Appended(10, 0));
        poll(() -> journal.pending() == 0);
        assertThat(await(journal.append("wk", List.of(track("bp-more", "u", "E"))))).isEqualTo(new Appended(1, 0));
    }

    @Test
    void concurrentAppendersGetUniqueIncreasingSeqsAndNothingIsLost() throws Exception {
        int threads = 8;
        int appendsEach = 100;
        List<Thread> workers = new ArrayList<>();
        List<CompletableFuture<Appended>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (int i = 0; i < appendsEach; i++) {
                    futures.add(journal.append("wk", List.of(track("t" + thread + "-" + i + "-a", "u" + thread, "E"),
                            track("t" + thread + "-" + i + "-b", "u" + thread, "E"))));
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread w : workers) {
            w.join();
        }
        for (CompletableFuture<Appended> f : futures) {
            assertThat(await(f)).isEqualTo(new Appended(2, 0));
        }
        List<JournalEntry> all = journal.readAfter(0, 10_000);
        assertThat(all).hasSize(threads * appendsEach * 2);
        assertThat(all).extracting(JournalEntry::messageId).doesNotHaveDuplicates();
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).seq()).isGreaterThan(all.get(i - 1).seq());
        }
        // each thread's appends keep their order in the journal
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + "-";
            List<String> mine = all.stream().map(JournalEntry::messageId).filter(id -> id.startsWith(prefix)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < appendsEach; i++) {
                expected.add(prefix + i + "-a");
                expected.add(prefix + i + "-b");
            }
            assertThat(mine).isEqualTo(expected);
        }
    }
}
