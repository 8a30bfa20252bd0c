package io.gridsync.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a --data directory before anything opens a database in it, so a wrong path is one line
 * naming it (SQLite alone says only SQLITE_CANTOPEN, the JDK a stack trace).
 */
final class DataDirectory {

    private DataDirectory() {}

    /** Creates {@code dir} if needed and proves it writable by writing a file there; else a {@link UserError}. */
    static Path prepare(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw UserError.cannotRun("data directory " + abs + " is a file; pass --data with a directory (new or gridsync's)");
        }
        try {
            io.gridsync.server.security.PrivateFiles.createDirectory(abs); // 0700: customer data lives here
        } catch (java.io.UncheckedIOException e) {
            throw UserError.cannotRun("cannot create data directory " + abs + " (" + reason(e.getCause())
                    + "); pass --data with a directory you can write");
        }
        try {
            // root passes every permission check on /sys and /proc and still cannot write there: try it
            Path probe = Files.createTempFile(abs, ".gridsync-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw UserError.cannotRun("cannot write in data directory " + abs + " (" + reason(e)
                    + "); pass --data with a directory you can write");
        }
        return abs;
    }

    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return kind.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    }
}
