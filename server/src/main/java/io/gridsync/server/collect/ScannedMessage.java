package io.gridsync.server.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message as found in a request body.
 *
 * @param fields         its top-level fields; objects and arrays are empty placeholders of their kind,
 *                       enough to check the message without building its whole tree ({@code context}'s
 *                       placeholder holds its own top-level scalars, {@code ip} among them)
 * @param json           the message's JSON text exactly as sent
 * @param bytes          its size in the body, in bytes
 * @param contextEnd     index in {@code json} of the closing brace of its {@code context} object; -1 without one
 * @param timestampStart index in {@code json} where its {@code timestamp} string starts (the quote); -1 without one
 * @param timestampEnd   index in {@code json} just past that string
 */
record ScannedMessage(ObjectNode fields, String json, int bytes, int contextEnd, int timestampStart, int timestampEnd) {}
