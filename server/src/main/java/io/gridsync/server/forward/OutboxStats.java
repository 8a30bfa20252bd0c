package io.gridsync.server.forward;

/** A source's forwarding at a glance: rows per state and the last failure. */
public record OutboxStats(long pending, long delivered, long dead, Integer lastStatus, String lastError) {}
