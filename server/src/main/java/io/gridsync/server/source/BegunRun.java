package io.gridsync.server.source;

/** The answer to "run this source now": the new run, or the one already queued or running ({@code existing}). */
public record BegunRun(SourceRun run, boolean existing) {}
