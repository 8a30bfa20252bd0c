package io.gridsync.core.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.message.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts person-sorted messages into delivery rounds of whole persons, so a large run is planned in
 * pieces that still coalesce each person into one contact: a round ends after {@code maxPersons}
 * persons, which {@link PersonRounds#ROUND_PERSONS} makes a multiple of SendGrid's 30,000 contacts
 * per upsert (so cutting costs no request), or after {@code maxMessages} messages, which bounds
 * memory. Only a person with more messages than that spans rounds; the round says so, and the
 * caller keeps that person's ledgers for the next one.
 */
public final class PersonRounds {

    /** Two full contact upserts' worth of persons per round. */
    public static final int ROUND_PERSONS = 60_000;
    /** Messages held at once (about 1 KB each as parsed JSON). */
    public static final int ROUND_MESSAGES = 120_000;

    /** One round: its messages in person order, the file line of each, and whether its last person goes on. */
    public record Round(List<Message> messages, long[] lines, boolean personContinues) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PersonSort.Merged entries;
    private final int maxPersons;
    private final int maxMessages;

    public PersonRounds(PersonSort.Merged entries, int maxPersons, int maxMessages) {
        this.entries = entries;
        this.maxPersons = maxPersons;
        this.maxMessages = maxMessages;
    }

    /** The next round, or null when every message has been handed out. */
    public Round next() {
        List<Message> messages = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        String last = null;
        int persons = 0;
        PersonSort.Entry e;
        while ((e = entries.peek()) != null) {
            boolean newPerson = !e.person().equals(last);
            if ((newPerson && persons == maxPersons) || messages.size() == maxMessages) {
                break;
            }
            entries.next();
            if (newPerson) {
                persons++;
                last = e.person();
            }
            messages.add(parse(e.json()));
            lines.add(e.line());
        }
        if (messages.isEmpty()) {
            return null;
        }
        PersonSort.Entry following = entries.peek();
        return new Round(messages, lines.stream().mapToLong(Long::longValue).toArray(),
                following != null && following.person().equals(last));
    }

    /**
     * Whose a message is, for sorting: its person key (userId, else anonymousId), or for a message
     * with neither, its email in lower case, so that such messages for one address still meet.
     */
    public static String personOf(Message m) {
        String key = m.personKey();
        if (!key.startsWith("message:")) {
            return key;
        }
        String email = m.traits().path("email").asText(m.properties().path("email").asText(""));
        return email.isBlank() ? key : "email:" + email.trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static Message parse(String json) {
        try {
            return new Message((ObjectNode) MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("a line that parsed when read no longer does", e);
        }
    }
}
