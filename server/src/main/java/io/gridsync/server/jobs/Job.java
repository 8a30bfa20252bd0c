package io.gridsync.server.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A claimed job with its message, ready to deliver. */
public record Job(long id, String integrationId, String subscription, String action, String personKey, long messageSeq,
                  int attempts, long createdAt, ObjectNode message) {}
