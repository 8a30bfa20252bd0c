package io.gridsync.server.source;

import java.util.Locale;

/** Where a run of the object sync is, or how it ended. Stored and shown in lower case ({@code zero_data_synced}). */
public enum RunStatus {
    /** Asked for; waits for the sync worker (runs of all sources go one at a time). */
    QUEUED,
    RUNNING,
    /** Every collection was pulled and upserted. */
    SUCCEEDED,
    /** Every collection was pulled, and the account holds none of the objects (reserved field definitions do not count). */
    ZERO_DATA_SYNCED,
    /** SendGrid refused the API key, or the key lacks a scope the sync needs ({@code missing_scopes}). */
    INVALID_CREDENTIALS,
    /** At least one collection could not be pulled or written; the others were. {@code error} says which and why. */
    FAILED,
    /** The process running it stopped (or stopped answering) before it finished. */
    INTERRUPTED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    public boolean active() {
        return this == QUEUED || this == RUNNING;
    }
}
