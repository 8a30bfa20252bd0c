package io.gridsync.emulator;

import io.gridsync.emulator.http.RateLimiter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the emulator can be told at start. Defaults are fast, for development and tests;
 * the README of the emulator (docs/emulator.md) lists each setting and SendGrid's real value.
 */
public final class EmulatorConfig {

    public String host = "127.0.0.1";
    /** 0 picks a free port (tests). */
    public int port = 3030;
    /** key -> scopes; empty means any {@code SG.} key is accepted with every scope. */
    public final Map<String, Set<String>> apiKeys = new LinkedHashMap<>();

    /** How long a contacts import (PUT, DELETE, list removal) stays pending before it is applied. */
    public long importDelayMillis = 100;
    /** Contacts per export file; an export larger than this is served as several URLs. */
    public int exportRowsPerFile = 50_000;

    /** Where Event Webhook batches are POSTed; null disables the webhook until set by the API. */
    public String webhookUrl;
    /** A batch is posted when it is this old... */
    public long webhookFlushMillis = 500;
    /** ...or holds this many events, whichever comes first (SendGrid: 30 s or 768 KB). */
    public int webhookBatchMaxEvents = 1000;
    /** First retry delay after a non-2xx; doubles up to {@link #webhookRetryMaxMillis}. */
    public long webhookRetryInitialMillis = 250;
    public long webhookRetryMaxMillis = 30_000;
    /** A batch still failing after this long is dropped, as SendGrid gives up after 24 hours. */
    public long webhookRetryGiveUpMillis = 24L * 3600 * 1000;

    /** Limit per key and endpoint family when none is set for the family. */
    public RateLimiter.Limit defaultRateLimit = new RateLimiter.Limit(1000, 1);
    public final Map<String, RateLimiter.Limit> rateLimits = new LinkedHashMap<>();

    /** Fault shares as {@code name=share}, e.g. {@code error_503=0.05}. */
    public final List<String> faults = new ArrayList<>();
    public long faultSeed = 42;
    public long faultTimeoutDelayMillis = 15_000;

    /** When set, state is loaded from this file at start (if it exists) and saved at stop. */
    public Path stateFile;

    /**
     * When the emulated mail "happens": the time of its events, so of its suppressions and stats.
     * Tests move it to send mail on different days; SendGrid's own clock otherwise.
     */
    public java.time.Clock eventClock = java.time.Clock.systemUTC();

    public EmulatorConfig eventClock(java.time.Clock clock) {
        this.eventClock = clock;
        return this;
    }

    public EmulatorConfig port(int port) {
        this.port = port;
        return this;
    }

    public EmulatorConfig apiKey(String key, Set<String> scopes) {
        apiKeys.put(key, Set.copyOf(scopes));
        return this;
    }

    public EmulatorConfig importDelayMillis(long millis) {
        this.importDelayMillis = millis;
        return this;
    }

    public EmulatorConfig exportRowsPerFile(int rows) {
        this.exportRowsPerFile = rows;
        return this;
    }

    public EmulatorConfig webhookUrl(String url) {
        this.webhookUrl = url;
        return this;
    }

    public EmulatorConfig rateLimit(String family, RateLimiter.Limit limit) {
        rateLimits.put(family, limit);
        return this;
    }

    public EmulatorConfig fault(String spec) {
        faults.add(spec);
        return this;
    }

    public EmulatorConfig stateFile(Path file) {
        this.stateFile = file;
        return this;
    }
}
