package io.gridsync.server.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one directory the hub reads cohort files from when an admin-token holder names them
 * (GRIDSYNC_IMPORT_DIR). A name is resolved by real path, so no {@code ..} or symlink leaves it,
 * and a refusal reads the same whether or not the named file exists.
 */
public final class ImportDirectory {

    private final Path dir;

    /** @param dir the directory (created 0700 when missing) */
    public ImportDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path path() {
        return dir;
    }

    /** Creates the directory, private to the hub's user, when it is missing. */
    public void create() {
        PrivateFiles.createDirectory(dir);
    }

    /**
     * The real path of the regular file {@code name} names: relative names are taken inside the
     * import directory, absolute ones must lie in it.
     *
     * @throws IllegalArgumentException saying where files go, and never whether something outside exists
     */
    public Path resolve(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name a file in the import directory " + dir + " (GRIDSYNC_IMPORT_DIR)");
        }
        Path named = Path.of(name.trim());
        for (Path part : named) {
            if (part.toString().equals("..")) {
                throw outside(name);
            }
        }
        Path p = (named.isAbsolute() ? named : dir.resolve(named)).normalize();
        if (!p.startsWith(dir)) {
            throw outside(name);
        }
        Path real;
        Path root;
        try {
            root = dir.toRealPath();
            real = p.toRealPath(); // follows every symlink on the way
        } catch (IOException e) {
            throw new IllegalArgumentException("there is no readable file " + dir.relativize(p) + " in the import directory " + dir);
        }
        if (!real.startsWith(root)) {
            throw outside(name);
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(real)) {
            throw new IllegalArgumentException(dir.relativize(p) + " in the import directory " + dir + " is not a readable file");
        }
        return real;
    }

    private IllegalArgumentException outside(String name) {
        return new IllegalArgumentException("cohort files are read from the import directory " + dir
                + " only (GRIDSYNC_IMPORT_DIR); copy the file there and name it relative to it");
    }
}
