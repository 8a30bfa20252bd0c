package io.gridsync.core.deliver;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A run's messages sorted by person on disk, so that a file of any size is delivered as whole
 * persons with bounded memory: at most {@code runSize} lines are held while reading (each full
 * batch is sorted and written as a run file), and reading back merges the runs one line at a time.
 * Within a person, lines keep their order in the file (the sort is by person, then line number),
 * which is the order SendGrid must see a person's changes in.
 */
public final class PersonSort implements AutoCloseable {

    /** One line of the input: whose it is, where it was, and its JSON text. */
    public record Entry(String person, long line, String json) {}

    private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::person).thenComparingLong(Entry::line);

    private final Path dir;
    private final int runSize;
    private final List<Entry> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private long size;

    /**
     * @param dir     an empty directory for the run files (deleted by {@link #close()})
     * @param runSize lines held in memory before they are sorted and written out
     */
    public PersonSort(Path dir, int runSize) {
        this.dir = dir;
        this.runSize = runSize;
    }

    public void add(String person, long line, String json) throws IOException {
        buffer.add(new Entry(person, line, json));
        size++;
        if (buffer.size() >= runSize) {
            spill();
        }
    }

    public long size() {
        return size;
    }

    /** Every entry, grouped by person (persons in key order), each person's lines in file order. */
    public Merged read() throws IOException {
        if (!buffer.isEmpty()) {
            spill();
        }
        return new Merged(runs);
    }

    private void spill() throws IOException {
        buffer.sort(ORDER);
        Path run = dir.resolve("run-" + runs.size());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            for (Entry e : buffer) {
                write(out, e.person());
                out.writeLong(e.line());
                write(out, e.json());
            }
        }
        runs.add(run);
        buffer.clear();
    }

    private static void write(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String read(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        buffer.clear();
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException e) {
                // a leftover temporary file is not worth failing a finished run for
            }
        }
    }

    /** A k-way merge of the sorted run files, one entry at a time. */
    public static final class Merged implements AutoCloseable {

        private record Head(Entry entry, DataInputStream in) {}

        private final PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::entry, ORDER));
        private final List<DataInputStream> open = new ArrayList<>();

        private Merged(List<Path> runs) throws IOException {
            for (Path run : runs) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
                open.add(in);
                advance(in);
            }
        }

        /** The next entry, or null when all are read. */
        public Entry next() {
            Head h = heads.poll();
            if (h == null) {
                return null;
            }
            try {
                advance(h.in());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return h.entry();
        }

        /** The entry {@link #next()} will answer, without taking it. */
        public Entry peek() {
            Head h = heads.peek();
            return h == null ? null : h.entry();
        }

        private void advance(DataInputStream in) throws IOException {
            try {
                String person = read(in);
                long line = in.readLong();
                heads.add(new Head(new Entry(person, line, read(in)), in));
            } catch (EOFException end) {
                in.close();
            }
        }

        @Override
        public void close() throws IOException {
            for (DataInputStream in : open) {
                in.close();
            }
        }
    }
}
