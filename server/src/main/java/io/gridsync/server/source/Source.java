package io.gridsync.server.source;

import io.gridsync.core.sendgrid.ApiKey;

import java.time.Duration;
import java.util.Set;

/**
 * One SendGrid account the mirror pulls from, with where its objects go.
 *
 * @param name      the integration's name (or {@code sendgrid} for {@code SENDGRID_API_KEY})
 * @param schema    the warehouse schema its tables live in
 * @param endpoint  {@code global}, {@code eu} or a URL (the emulator)
 * @param interval  time between scheduled runs; zero: never scheduled, only on demand
 * @param keyHint   where a user sets this source's key, for error messages (never the key itself)
 * @param collectionsOff the collections switched off for this source (every other one is synced)
 */
public record Source(String name, String schema, String endpoint, ApiKey apiKey, Duration interval, boolean enabled,
                     String keyHint, Set<String> collectionsOff) {

    public Source {
        collectionsOff = collectionsOff == null ? Set.of() : Set.copyOf(collectionsOff);
    }

    /** A source that syncs every collection. */
    public Source(String name, String schema, String endpoint, ApiKey apiKey, Duration interval, boolean enabled, String keyHint) {
        this(name, schema, endpoint, apiKey, interval, enabled, keyHint, Set.of());
    }

    public boolean syncs(String collection) {
        return !collectionsOff.contains(collection);
    }

    public boolean scheduled() {
        return enabled && !interval.isZero() && !interval.isNegative();
    }
}
