package io.gridsync.server.journal;

/**
 * A message its caller has already checked and holds as JSON text, for {@link Journal#appendRaw}:
 * the journal stores {@code json} as it is, adding {@code receivedAt} (and {@code messageId} when
 * null) before its closing brace, so a message is not parsed and written out again on the way in.
 *
 * @param json      one JSON object with a {@code type}, and without {@code receivedAt} (nor
 *                  {@code messageId} when {@code messageId} is null)
 * @param type      its type, lower case
 * @param messageId its messageId, or null to have one generated
 * @param personKey {@code user:<userId>} or {@code anon:<anonymousId>}
 */
public record RawMessage(String json, String type, String messageId, String personKey) {}
