package io.gridsync.emulator.lists;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * What the lists need to know of contacts, which hold their list memberships. Implemented by the
 * contact store, so lists and contacts stay separate packages.
 */
public interface ListMembers {

    /** Until a contact store is wired in: every list is empty and deleting one touches no contact. */
    ListMembers NONE = new ListMembers() {
        @Override
        public long countInList(String listId) {
            return 0;
        }

        @Override
        public void listDeleted(String listId, boolean deleteContacts) {
        }
    };

    /** Contacts currently in the list. */
    long countInList(String listId);

    /** Called when a list is deleted: drop the membership, and the contacts too when asked. */
    void listDeleted(String listId, boolean deleteContacts);

    /**
     * The most recently added contact of the list, in the {@code ContactDetails} shape of
     * {@code GET /v3/marketing/lists/{id}?contact_sample=true}; empty when the list is.
     */
    default Optional<ObjectNode> contactSample(String listId) {
        return Optional.empty();
    }
}
