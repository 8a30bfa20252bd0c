package io.gridsync.core.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A large run sorted by person on disk comes back as rounds of whole persons, each person's lines in file order. */
class PersonRoundsTest {

    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void spilledRunsMergeIntoWholePersonsInFileOrder() throws Exception {
        // 7 persons, lines interleaved, sorted 5 lines at a time so that every person spans several run files
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        List<Message> all = new ArrayList<>();
        try (PersonSort sort = new PersonSort(dir, 5)) {
            for (long line = 1; line <= 70; line++) {
                String user = "u" + (line * 3 % 7);
                Message m = message("{\"type\":\"track\",\"userId\":\"" + user + "\",\"messageId\":\"m" + line + "\"}");
                sort.add(PersonRounds.personOf(m), line, m.json().toString());
                expected.computeIfAbsent("user:" + user, k -> new ArrayList<>()).add(line);
                all.add(m);
            }
            assertThat(Files.list(dir).count()).isEqualTo(14); // 70 lines, 5 per run file

            try (PersonSort.Merged merged = sort.read()) {
                PersonRounds rounds = new PersonRounds(merged, 3, 3, 1000);
                Map<String, List<Long>> seen = new HashMap<>();
                List<Integer> personsPerRound = new ArrayList<>();
                PersonRounds.Round r;
                while ((r = rounds.next()) != null) {
                    assertThat(r.personContinues()).isFalse();
                    personsPerRound.add((int) r.messages().stream().map(Message::personKey).distinct().count());
                    for (int i = 0; i < r.messages().size(); i++) {
                        Message m = r.messages().get(i);
                        assertThat(seen).as("a person is never cut across rounds").doesNotContainKey(m.personKey() + "#closed");
                        seen.computeIfAbsent(m.personKey(), k -> new ArrayList<>()).add(r.lines()[i]);
                        assertThat(m.messageId()).isEqualTo("m" + r.lines()[i]);
                    }
                    r.messages().stream().map(Message::personKey).distinct().forEach(p -> seen.put(p + "#closed", List.of()));
                }
                assertThat(personsPerRound).containsExactly(3, 3, 1);
                expected.forEach((person, lines) -> assertThat(seen.get(person)).as(person).isEqualTo(lines));
            }
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aPersonWithMoreMessagesThanARoundHoldsSpansRoundsAndSaysSo() throws Exception {
        try (PersonSort sort = new PersonSort(dir, 4)) {
            for (long line = 1; line <= 10; line++) {
                String user = line == 10 ? "b" : "a";
                sort.add("user:" + user, line, "{\"type\":\"track\",\"userId\":\"" + user + "\",\"messageId\":\"m" + line + "\"}");
            }
            try (PersonSort.Merged merged = sort.read()) {
                PersonRounds rounds = new PersonRounds(merged, 10, 10, 4);
                List<Boolean> continues = new ArrayList<>();
                List<Integer> sizes = new ArrayList<>();
                PersonRounds.Round r;
                while ((r = rounds.next()) != null) {
                    continues.add(r.personContinues());
                    sizes.add(r.messages().size());
                }
                assertThat(sizes).containsExactly(4, 4, 2);
                assertThat(continues).containsExactly(true, true, false); // a goes on twice; its 9th message and b make round 3
            }
        }
    }

    /** 4 messages per person, rounds of at most 10 messages: cut back to 2 whole persons (the unit), never 2.5. */
    @Test
    void aRoundCutByItsMessageBoundIsCutBackToWholeUnitsOfPersons() throws Exception {
        try (PersonSort sort = new PersonSort(dir, 100)) {
            for (long line = 1; line <= 24; line++) {
                sort.add("user:p" + (line % 6), line, "{\"type\":\"track\",\"messageId\":\"m" + line + "\"}");
            }
            try (PersonSort.Merged merged = sort.read()) {
                PersonRounds rounds = new PersonRounds(merged, 2, 100, 10);
                List<Integer> sizes = new ArrayList<>();
                List<String> messageIds = new ArrayList<>();
                PersonRounds.Round r;
                while ((r = rounds.next()) != null) {
                    assertThat(r.personContinues()).isFalse();
                    sizes.add(r.messages().size());
                    r.messages().forEach(m -> messageIds.add(m.messageId()));
                }
                assertThat(sizes).containsExactly(8, 8, 8);
                assertThat(messageIds).hasSize(24).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void messagesWithoutUserOrAnonymousIdMeetByEmailInAnyCase() throws Exception {
        Message a = message("{\"type\":\"identify\",\"messageId\":\"1\",\"traits\":{\"email\":\"Ada@Example.com\"}}");
        Message b = message("{\"type\":\"identify\",\"messageId\":\"2\",\"traits\":{\"email\":\"ada@example.com \"}}");
        Message c = message("{\"type\":\"identify\",\"messageId\":\"3\",\"userId\":\"x\",\"traits\":{\"email\":\"ada@example.com\"}}");
        assertThat(PersonRounds.personOf(a)).isEqualTo(PersonRounds.personOf(b)).isEqualTo("email:ada@example.com");
        assertThat(PersonRounds.personOf(c)).isEqualTo("user:x");
    }

    private static Message message(String json) throws Exception {
        return new Message((ObjectNode) M.readTree(json));
    }
}
