package io.gridsync.core.contact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every identifier ever sent to SendGrid for a contact, because SendGrid refuses an update that
 * omits an identifier the contact already has. The server persists it; tests and the one-shot
 * command use {@link InMemoryIdentityLedger}.
 */
public interface IdentityLedger {

    /**
     * The identifiers known for the contact that has any of these (keys: email, phone_number_id,
     * external_id, anonymous_id; email lower-case); empty when none is known.
     */
    Map<String, String> known(Map<String, String> identifiers);

    /** Records that SendGrid accepted a contact with exactly these identifiers. */
    void record(Map<String, String> identifiers);

    /**
     * The identifiers last sent for a person ({@code user:<userId>} / {@code anon:<anonymousId>}),
     * so that a track event without an email still finds its contact; empty when none.
     */
    Map<String, String> ofPerson(String personKey);

    /** Remembers which contact a person is. */
    void recordPerson(String personKey, Map<String, String> identifiers);

    /** {@link #known} for many contacts at once (a persisted ledger answers them in one round trip). */
    default List<Map<String, String>> knownAll(List<Map<String, String>> identifiers) {
        List<Map<String, String>> out = new ArrayList<>(identifiers.size());
        identifiers.forEach(ids -> out.add(known(ids)));
        return out;
    }

    /** {@link #record} for many contacts at once (a persisted ledger writes them in one transaction). */
    default void recordAll(List<Map<String, String>> identifiers) {
        identifiers.forEach(this::record);
    }

    /** {@link #recordPerson} for many people at once. */
    default void recordPersons(Map<String, Map<String, String>> identifiersByPerson) {
        identifiersByPerson.forEach(this::recordPerson);
    }
}
