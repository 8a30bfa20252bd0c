package io.gridsync.core.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.message.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Cuts person-sorted messages into delivery rounds of whole persons, so a large run is planned in
 * pieces that still coalesce each person into one contact. A round holds at most
 * {@code maxPersons} persons, {@code maxMessages} messages and {@link #ROUND_BYTES} of JSON (which
 * bound memory); when a message bound cuts it, it is cut back to a multiple of {@code unit} persons (SendGrid's 30,000
 * contacts per upsert), so that cutting costs no request, and the rest opens the next round. Only
 * a person with more messages than a round holds spans rounds; the round says so, and the caller
 * keeps that person's ledgers for the next one.
 */
public final class PersonRounds {

    /** Contacts per upsert request: rounds are cut at multiples of this many persons. */
    public static final int UNIT = 30_000;
    /** Two full contact upserts' worth of persons per round. */
    public static final int ROUND_PERSONS = 2 * UNIT;
    /** Messages held at once (about 1.6 KB each while delivered: parsed JSON, payloads, drafts). */
    public static final int ROUND_MESSAGES = 160_000;
    /** JSON text per round: parsed, delivered messages take about six to ten times their text. */
    public static final long ROUND_BYTES = 24L << 20;

    /** One round: its messages in person order, the file line of each, and whether its last person goes on. */
    public record Round(List<Message> messages, long[] lines, boolean personContinues) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PersonSort.Merged entries;
    private final Deque<PersonSort.Entry> carried = new ArrayDeque<>();
    private final int unit;
    private final int maxPersons;
    private final int maxMessages;

    public PersonRounds(PersonSort.Merged entries) {
        this(entries, UNIT, ROUND_PERSONS, ROUND_MESSAGES);
    }

    public PersonRounds(PersonSort.Merged entries, int unit, int maxPersons, int maxMessages) {
        this.entries = entries;
        this.unit = unit;
        this.maxPersons = maxPersons;
        this.maxMessages = maxMessages;
    }

    /** The next round, or null when every message has been handed out. */
    public Round next() {
        List<PersonSort.Entry> taken = new ArrayList<>();
        List<Integer> personStarts = new ArrayList<>();
        String last = null;
        long bytes = 0;
        boolean full = false;
        PersonSort.Entry e;
        while ((e = peek()) != null) {
            boolean newPerson = !e.person().equals(last);
            if (newPerson && personStarts.size() == maxPersons) {
                break;
            }
            if (taken.size() == maxMessages || (bytes + e.json().length() > ROUND_BYTES && !taken.isEmpty())) {
                full = true;
                break;
            }
            bytes += e.json().length();
            take();
            if (newPerson) {
                personStarts.add(taken.size());
                last = e.person();
            }
            taken.add(e);
        }
        if (taken.isEmpty()) {
            return null;
        }
        boolean continues = peek() != null && peek().person().equals(last);
        int persons = personStarts.size();
        if (full && persons > unit && (persons % unit != 0 || continues)) {
            // cut back to whole upserts' worth of persons; the others open the next round
            int cut = personStarts.get(persons / unit * unit);
            List<PersonSort.Entry> rest = taken.subList(cut, taken.size());
            for (int i = rest.size() - 1; i >= 0; i--) {
                carried.addFirst(rest.get(i));
            }
            rest.clear();
            continues = false;
        }
        List<Message> messages = new ArrayList<>(taken.size());
        long[] lines = new long[taken.size()];
        for (int i = 0; i < taken.size(); i++) {
            messages.add(parse(taken.get(i).json()));
            lines[i] = taken.get(i).line();
        }
        return new Round(messages, lines, continues);
    }

    private PersonSort.Entry peek() {
        return carried.isEmpty() ? entries.peek() : carried.peekFirst();
    }

    private void take() {
        if (carried.isEmpty()) {
            entries.next();
        } else {
            carried.pollFirst();
        }
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
