package io.gridsync.server.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message as found in a request body.
 *
 * @param fields its top-level fields; objects and arrays are empty placeholders of their kind,
 *               enough to check the message without building its whole tree
 * @param json   the message's JSON text exactly as sent
 * @param bytes  its size in the body, in bytes
 */
record ScannedMessage(ObjectNode fields, String json, int bytes) {}
