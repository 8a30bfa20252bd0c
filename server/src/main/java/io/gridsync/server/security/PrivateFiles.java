package io.gridsync.server.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The hub's files are its user's alone: directories 0700, files 0600. Java cannot set a umask, so
 * files are created private before SQLite opens them (SQLite gives its -wal and -shm files the
 * database file's mode), and what a start created otherwise is tightened after it. What was
 * already there and looser is reported, not changed: the owner may have meant it.
 */
public final class PrivateFiles {

    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents) 0700; an existing one is left as it is. */
    public static void createDirectory(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (posix(dir)) {
                Files.createDirectories(dir, attribute(DIR));
                Files.setPosixFilePermissions(dir, DIR); // a umask never narrows 0700, but a default ACL might widen it
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Creates the empty file {@code file} 0600 unless it exists (SQLite takes an empty file as a new database). */
    public static void createFile(Path file) {
        try {
            createDirectory(file.toAbsolutePath().getParent());
            if (posix(file.toAbsolutePath().getParent())) {
                Files.createFile(file, attribute(FILE));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // kept as it is
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every path in {@code dataDir} (itself included) that other users may read or enter. */
    public static List<Path> looser(Path dataDir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dataDir) || !posix(dataDir)) {
            return out;
        }
        try (Stream<Path> all = Files.walk(dataDir)) {
            all.forEach(p -> {
                Set<PosixFilePermission> m = mode(p);
                if (m != null && !Files.isSymbolicLink(p) && !m.equals(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? DIR : FILE)) {
                    out.add(p);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot check the permissions in {}: {}", dataDir, e.getMessage());
        }
        return out;
    }

    /** Logs a WARN for each path, with the chmod that makes it private. */
    public static void warn(List<Path> paths) {
        for (Path p : paths) {
            boolean dir = Files.isDirectory(p);
            log.warn("{} has permissions {}: other users on this machine may read it. Fix with: chmod {} {}", p.toAbsolutePath(),
                    String.valueOf(mode(p) == null ? "?" : PosixFilePermissions.toString(mode(p))), dir ? "700" : "600", p.toAbsolutePath());
        }
    }

    /** Makes each path private (0700 or 0600): for files this start created before it could create them private. */
    public static void tighten(List<Path> paths) {
        for (Path p : paths) {
            try {
                Files.setPosixFilePermissions(p, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? DIR : FILE);
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("cannot make {} private: {}", p, e.getMessage());
            }
        }
    }

    private static Set<PosixFilePermission> mode(Path p) {
        try {
            return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null; // gone meanwhile: nothing to report
        }
    }

    private static boolean posix(Path p) {
        Path existing = p.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> perms) {
        return PosixFilePermissions.asFileAttribute(perms);
    }
}
