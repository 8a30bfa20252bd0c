package io.gridsync.core.mapping;

/** A mapping that cannot be compiled: an unknown directive, a malformed path, a wrong shape. */
public final class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }
}
