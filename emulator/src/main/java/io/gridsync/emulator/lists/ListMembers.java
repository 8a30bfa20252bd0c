package io.gridsync.emulator.lists;

/**
 * What the lists need to know of contacts, which hold their list memberships. Implemented by the
 * contact store, so lists and contacts stay separate packages.
 */
public interface ListMembers {

    /** Contacts currently in the list. */
    long countInList(String listId);

    /** Called when a list is deleted: drop the membership, and the contacts too when asked. */
    void listDeleted(String listId, boolean deleteContacts);
}
