package io.gridsync.server.journal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One stored message.
 *
 * @param seq        position in the journal: unique, increasing in commit order
 * @param personKey  {@code user:<userId>}, else {@code anon:<anonymousId>} (core's {@code Message.personKey()})
 * @param receivedAt epoch milliseconds when the hub received the message (also {@code body.receivedAt}, ISO-8601)
 * @param body       the message as stored, with {@code messageId} and {@code receivedAt} set
 */
public record JournalEntry(long seq, String messageId, String writeKey, String type, String personKey, long receivedAt,
                           ObjectNode body) {}
