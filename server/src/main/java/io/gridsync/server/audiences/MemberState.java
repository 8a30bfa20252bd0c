package io.gridsync.server.audiences;

/**
 * One stored member as a cohort sync reads it back: whether it should be in the list, whether it
 * is, the hash of the fields last sent (null when unknown), and whether an API change is pending.
 */
record MemberState(String email, boolean desired, boolean inList, Long fieldsHash, boolean pending) {}
