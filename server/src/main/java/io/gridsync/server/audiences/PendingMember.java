package io.gridsync.server.audiences;

/** A member with an audience API change not yet applied, as the worker loads it. */
record PendingMember(String email, boolean add, String fields, long revision, int attempts) {}
