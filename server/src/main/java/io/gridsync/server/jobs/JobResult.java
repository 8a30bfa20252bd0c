package io.gridsync.server.jobs;

import io.gridsync.core.action.Outcome;

/** What one delivery attempt of a job came to, and how long it took. */
public record JobResult(Job job, Outcome outcome, long durationMillis) {}
