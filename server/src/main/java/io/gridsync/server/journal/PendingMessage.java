package io.gridsync.server.journal;

/** A message prepared on the caller's thread (id, person, serialized body) so the writer only writes. */
record PendingMessage(String messageId, String type, String personKey, long receivedAt, String body) {}
