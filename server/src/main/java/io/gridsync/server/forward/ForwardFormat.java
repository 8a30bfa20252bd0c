package io.gridsync.server.forward;

import java.util.Locale;

/** The wire formats events are forwarded in. */
public enum ForwardFormat {
    /** Segment's HTTP tracking API batch: {@code {"batch": [...]}} with the write key as HTTP Basic user. */
    SEGMENT,
    /** Amplitude's HTTP V2 API: {@code {"api_key": ..., "events": [...]}}. */
    AMPLITUDE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ForwardFormat of(String name) {
        for (ForwardFormat f : values()) {
            if (f.wireName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("format must be \"segment\" (Segment batch API) or \"amplitude\" (Amplitude HTTP V2), not '"
                + name + "'");
    }
}
