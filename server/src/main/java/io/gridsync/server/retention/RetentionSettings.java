package io.gridsync.server.retention;

import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * How long finished work is kept (docs/configuration.md#retention).
 *
 * @param journal GRIDSYNC_JOURNAL_RETENTION: a message whose every job is finished (delivered, or
 *                blocked by consent) is removed this long after its last job finished, with those
 *                jobs and their attempts (the live events' window)
 * @param history GRIDSYNC_HISTORY_RETENTION: source runs, audience runs and webhook quarantine rows
 *                older than this are removed (each source's and audience's latest run is kept)
 */
public record RetentionSettings(Duration journal, Duration history) {

    public RetentionSettings {
        if (journal.isNegative() || history.isNegative()) {
            throw new IllegalArgumentException("GRIDSYNC_JOURNAL_RETENTION and GRIDSYNC_HISTORY_RETENTION must not be negative");
        }
    }

    public static RetentionSettings defaults() {
        return new RetentionSettings(Duration.ofDays(7), Duration.ofDays(30));
    }

    public RetentionSettings withEnvironment(Map<String, String> env, BiFunction<String, Duration, Duration> duration) {
        return new RetentionSettings(duration.apply(env.get("GRIDSYNC_JOURNAL_RETENTION"), journal),
                duration.apply(env.get("GRIDSYNC_HISTORY_RETENTION"), history));
    }

    /** Time between retention passes: half the shorter retention, at least 1 s, at most 10 minutes. */
    public Duration passInterval() {
        Duration half = (journal.compareTo(history) < 0 ? journal : history).dividedBy(2);
        Duration min = Duration.ofSeconds(1);
        Duration max = Duration.ofMinutes(10);
        return half.compareTo(min) < 0 ? min : half.compareTo(max) > 0 ? max : half;
    }
}
