package io.gridsync.server.audiences;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary file of cohort members (email and mapped values), written once while the source is
 * read and read back as often as the sync needs: the plan and the apply see the same rows even
 * when a query would answer differently the second time, and the heap never holds the cohort.
 */
final class Spool implements AutoCloseable {

    /** One member as spooled. */
    record Entry(String email, String[] values) {}

    private final Path file;
    private final int width;
    private DataOutputStream out;
    private long count;

    Spool(Path dir, int width) {
        this.width = width;
        try {
            io.gridsync.server.security.PrivateFiles.createDirectory(dir);
            this.file = Files.createTempFile(dir, "cohort-", ".spool");
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spool file in " + dir + ": " + e.getMessage(), e);
        }
    }

    void add(String email, String[] values) {
        try {
            write(email);
            for (int i = 0; i < width; i++) {
                write(values[i]);
            }
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("writing the spool file " + file + " failed: " + e.getMessage(), e);
        }
    }

    long count() {
        return count;
    }

    interface Visitor {
        void entry(Entry e) throws Exception;
    }

    /** Reads every entry back in the order written. */
    void forEach(Visitor visitor) throws Exception {
        if (out != null) {
            out.close();
            out = null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024))) {
            for (long n = 0; n < count; n++) {
                String email = read(in);
                String[] values = new String[width];
                for (int i = 0; i < width; i++) {
                    values[i] = read(in);
                }
                visitor.entry(new Entry(email, values));
            }
        }
    }

    private void write(String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String read(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new IOException("the spool file ended early", e);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // deleting it is what matters
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is not worth failing a sync for
        }
    }
}
