package io.gridsync.server.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space on the filesystem of the data directory: reported by {@code /healthz} and
 * {@code /metrics}, and a failing component when it is as good as full (below
 * {@link #MIN_FREE_BYTES}, or 2% of a smaller filesystem), since SQLite cannot commit then.
 */
public final class DiskSpace {

    public static final long MIN_FREE_BYTES = 16L * 1024 * 1024;
    private final Path dir;

    public DiskSpace(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Bytes an unprivileged writer can still use; -1 when it cannot be read. */
    public long freeBytes() {
        try {
            return store().getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The filesystem's size; -1 when it cannot be read. */
    public long totalBytes() {
        try {
            return store().getTotalSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    public ComponentStatus status() {
        long free = freeBytes();
        if (free < 0) {
            return ComponentStatus.of("failing", "cannot read the free space of " + dir, System.currentTimeMillis());
        }
        long total = totalBytes();
        if (free < Math.min(MIN_FREE_BYTES, total / 50)) {
            return ComponentStatus.of("failing", "only " + free / 1024 + " KiB free on the filesystem of " + dir
                    + "; free space there (or move the data directory) so the hub can store again", System.currentTimeMillis());
        }
        return ComponentStatus.OK;
    }

    private FileStore store() throws IOException {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return Files.getFileStore(p == null ? Path.of(".") : p);
    }
}
