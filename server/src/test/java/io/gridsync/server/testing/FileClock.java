package io.gridsync.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * {@link MutableClock} across processes: the system clock plus an offset kept in a file, which the
 * test moves forward ({@link #runAhead}) and every hub child process reads (at most 50 ms late),
 * so scheduled work falls due on all of them at once.
 */
public final class FileClock extends Clock {

    private static final long REREAD_MS = 50;

    private final Path file;
    private volatile long offset;
    private volatile long readAt; // 0: the first call reads the file

    public FileClock(Path file) {
        this.file = file;
    }

    /** Moves every process's clock on {@code file} {@code by} further ahead. */
    public static void runAhead(Path file, Duration by) {
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, Long.toString(read(file) + by.toMillis()));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long millis() {
        long now = System.currentTimeMillis();
        if (now - readAt >= REREAD_MS) {
            offset = read(file);
            readAt = now;
        }
        return now + offset;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    private static long read(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
