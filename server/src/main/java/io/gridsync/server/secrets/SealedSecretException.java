package io.gridsync.server.secrets;

/** A sealed value that cannot be opened: wrong master key, altered or not sealed at all. Carries no secret. */
public final class SealedSecretException extends IllegalStateException {
    public SealedSecretException(String message) {
        super(message);
    }
}
