package io.gridsync.server.erasure;

import java.util.List;
import java.util.Map;

/**
 * One erasure as stored: never an identifier in clear. {@code identifiersSealed} holds them sealed
 * with the master key while the work runs and is null once it ended; counts are per store.
 */
public record ErasureRecord(String id, String status, List<String> identifierHashes, String identifiersSealed,
                            boolean sendgridEraseJob, Map<String, Long> counts, List<String> errors, int attempts,
                            long nextAt, long createdAt, long updatedAt, Long finishedAt) {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
}
