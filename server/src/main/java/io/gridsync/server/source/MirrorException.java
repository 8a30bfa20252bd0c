package io.gridsync.server.source;

/** A collection could not be pulled for a reason of SendGrid's own making (an export that failed or never got ready). */
final class MirrorException extends RuntimeException {
    MirrorException(String message) {
        super(message);
    }
}
