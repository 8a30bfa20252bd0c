package io.gridsync.server.jobs;

/** A job that will not be delivered without help: its message, what it was for, and why it failed. */
public record DeadLetter(long jobId, String integrationId, String subscription, String action, long messageSeq,
                         String messageId, int attempts, Integer lastStatus, String reason, long createdAt, long updatedAt) {}
