package io.gridsync.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * SQLite stays single-node: a hub holds an exclusive lock on {@code gridsync.lock} in its data
 * directory for as long as it runs, with its PID written inside, and a second hub on the same
 * directory refuses to start naming that PID. The operating system drops the lock when the
 * process ends, however it ends, so a killed hub never leaves a stale lock behind.
 */
public final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "gridsync.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data directory for this process.
     *
     * @throws IllegalStateException when another process holds it (the message names its PID)
     */
    public static DataDirectoryLock take(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        FileChannel channel = null;
        try {
            io.gridsync.server.security.PrivateFiles.createFile(file); // and the directory, 0700: the data directory's first file
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new IllegalStateException("another hub (PID " + holder + ") is running on data directory " + dataDir
                        + "; stop it first, or give this one its own GRIDSYNC_DATA_DIR (several hubs share state only through "
                        + "PostgreSQL: GRIDSYNC_DATABASE_URL, see docs/cluster.md)");
            }
            byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
            return new DataDirectoryLock(channel, lock);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            close(channel);
            throw new IllegalStateException("another hub in this process is running on data directory " + dataDir
                    + "; close it first, or give this one its own data directory");
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("cannot lock data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = channel.read(b, 0);
        String pid = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
        return pid.isEmpty() ? "unknown" : pid;
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing after a failure: the failure is what the caller hears about
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process ends soon, which releases it anyway
        }
    }
}
