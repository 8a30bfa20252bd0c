package io.gridsync.core.sendgrid;

import java.util.Objects;

/**
 * A SendGrid API key. It only leaves this object through {@link #reveal()}, which the client calls
 * to build the Authorization header; {@code toString} shows a masked form, so a key logged by
 * accident, or printed in an exception or a JSON response, stays secret.
 */
public final class ApiKey {

    private final String value;

    public ApiKey(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a SendGrid API key must not be empty (it starts with SG.)");
        }
        this.value = value.trim();
    }

    public String reveal() {
        return value;
    }

    /** {@code SG.****wxyz}: enough to tell two keys apart, not enough to use one. */
    public String masked() {
        String tail = value.length() > 12 ? value.substring(value.length() - 4) : "";
        return (value.startsWith("SG.") ? "SG." : "") + "****" + tail;
    }

    @Override
    public String toString() {
        return masked();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && k.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }
}
