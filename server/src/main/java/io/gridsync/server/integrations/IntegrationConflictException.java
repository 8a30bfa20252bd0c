package io.gridsync.server.integrations;

/** A change that contradicts what is stored (a taken name, jobs still waiting); the message says what to do. */
public final class IntegrationConflictException extends RuntimeException {
    public IntegrationConflictException(String message) {
        super(message);
    }
}
