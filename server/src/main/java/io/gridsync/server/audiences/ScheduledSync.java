package io.gridsync.server.audiences;

import java.util.Map;

/**
 * A cohort sync the hub runs on a schedule: {@code once} (as soon as possible, then disabled),
 * {@code hourly} or {@code daily} (first as soon as possible, then that long after each start).
 * {@code source} holds the unsealed JDBC password: never show it; {@link ScheduledSyncs#toJson} masks it
 * (and the source's {@code toString} leaves it out).
 */
public record ScheduledSync(String id, String integrationId, String audienceKey, CohortSourceSpec source, String listName,
                            Map<String, String> map, boolean reconcile, String schedule, boolean enabled, Long nextRunAt,
                            Long lastRunAt, String lastOutcome, long createdAt) {}
