package io.gridsync.server.journal;

/**
 * What one {@link Journal#append} did once committed.
 *
 * @param accepted   messages stored as new journal entries
 * @param duplicates messages whose messageId was already seen within the de-duplication window:
 *                   acknowledged, not stored again
 */
public record Appended(int accepted, int duplicates) {}
