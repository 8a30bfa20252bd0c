package io.gridsync.server.jobs;

/** A job the router creates: one message for one subscription; {@code blocked} when consent withholds it. */
public record NewJob(String integrationId, String subscription, String action, String personKey, long messageSeq,
                     boolean blocked, String blockedReason) {}
