package io.gridsync.server.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A batch request: its fields other than {@code batch} (writeKey, context, sentAt, ...) and its messages. */
record ParsedBatch(ObjectNode envelope, List<ScannedMessage> items) {}
