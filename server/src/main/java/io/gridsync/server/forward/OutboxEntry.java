package io.gridsync.server.forward;

/** A pending outbox row as the forwarder claims it. */
record OutboxEntry(long id, String source, String eventId, String body, int attempts, long createdAt) {}
