package io.gridsync.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's data directory. The demo empties it before each run, so it only ever empties a
 * directory it made itself: one it created (or found empty) gets a mark file, and a directory
 * without the mark that holds anything (a hub's database and master.key included) is refused.
 */
final class DemoDirectory {

    static final String MARK = ".gridsync-demo";

    private DemoDirectory() {}

    /** Leaves {@code dir} empty but for the mark, or refuses with a {@link UserError} and touches nothing. */
    static void prepare(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs) && !Files.exists(abs.resolve(MARK)) && !isEmpty(abs)) {
            throw UserError.badInput(abs + " already holds files and was not made by gridsync demo, which empties its directory; "
                    + "pass --data with a new directory");
        }
        if (Files.isDirectory(abs)) {
            emptyMarked(abs);
        }
        DataDirectory.prepare(abs);
        Path mark = abs.resolve(MARK);
        Files.writeString(mark, "made by gridsync demo, which empties this directory on its next run\n");
        io.gridsync.server.security.PrivateFiles.tighten(List.of(mark)); // owner-only, like the rest of a data directory
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void emptyMarked(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
