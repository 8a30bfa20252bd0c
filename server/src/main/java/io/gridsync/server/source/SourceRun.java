package io.gridsync.server.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run of the object sync of one source, as recorded in {@code source_runs}.
 *
 * @param trigger       {@code schedule}, {@code admin} or {@code cli}
 * @param rows          rows upserted per collection (table), in sync order
 * @param deleted       rows newly marked {@code _deleted_at} per collection: gone from SendGrid since the last run
 * @param error         why the run did not succeed, null when it did
 * @param missingScopes scopes the API key lacks (invalid credentials), empty otherwise
 */
public record SourceRun(long id, String source, String trigger, RunStatus status, Instant startedAt, Instant finishedAt,
                        Instant heartbeatAt, Map<String, Long> rows, Map<String, Long> deleted, String error,
                        List<String> missingScopes) {

    public SourceRun {
        rows = rows == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rows));
        deleted = deleted == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(deleted));
        missingScopes = missingScopes == null ? List.of() : List.copyOf(missingScopes);
    }

    public long totalRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line for people: "zero data synced", "invalid credentials: ...", "synced 100,010 rows", ... */
    public String message() {
        return switch (status) {
            case QUEUED -> "queued: waits for the run in progress to finish";
            case RUNNING -> "running";
            case SUCCEEDED -> String.format("synced %,d rows", totalRows());
            case ZERO_DATA_SYNCED -> "zero data synced";
            case INVALID_CREDENTIALS, FAILED, INTERRUPTED -> error == null ? status.wire() : error;
        };
    }
}
