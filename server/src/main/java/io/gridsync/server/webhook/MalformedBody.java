package io.gridsync.server.webhook;

/** A webhook body that is not a JSON array of events; the message says where it went wrong. */
final class MalformedBody extends Exception {
    MalformedBody(String message) {
        super(message);
    }
}
