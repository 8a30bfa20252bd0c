package io.gridsync.server.cluster;

/**
 * A hub on the state database, as its heartbeat row says: its id (which names it in job leases and
 * the attempt log), host, process, version, when it started and when it was last seen.
 *
 * @param stoppedAt when it stopped gracefully; null while it runs (or if it died)
 * @param runs      the once-per-cluster work it held at its last heartbeat (routing, retention, ...)
 */
public record Node(String id, String host, long pid, String version, long startedAt, long lastSeen, Long stoppedAt,
                   java.util.List<String> runs) {

    /** Seen within {@code within} millis of {@code now} and not stopped. */
    public boolean live(long now, long within) {
        return stoppedAt == null && now - lastSeen <= within;
    }
}
