package io.gridsync.server.forward;

/** An event to forward: its id (de-duplicated per source) and the Segment track message as JSON. */
public record OutboxItem(String eventId, String body) {}
