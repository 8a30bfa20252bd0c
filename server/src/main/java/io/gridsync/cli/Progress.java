package io.gridsync.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Progress of a long command on stderr (stdout stays the command's result): on a terminal a bar
 * (or, with no total, a counter) redrawn in place, elsewhere one line every few seconds so a log
 * file is not flooded. Quick runs show nothing: the first report comes after the first interval.
 */
final class Progress implements AutoCloseable {

    /** Where a command is: {@code done} of {@code total} (total 0: unknown) units (null: no count), and a note such as the request count. */
    record Status(long done, long total, String unit, String note) {}

    private static final int BAR = 24;

    private final PrintStream err;
    private final boolean terminal;
    private final String label;
    private final Supplier<Status> status;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer;
    private volatile boolean drawn;

    Progress(PrintStream err, Map<String, String> env, String label, Supplier<Status> status) {
        this.err = err;
        this.terminal = onTerminal(env);
        this.label = label;
        this.status = status;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gridsync-progress");
            t.setDaemon(true);
            return t;
        });
        long every = terminal ? 250 : 5000;
        timer.scheduleAtFixedRate(this::report, terminal ? 1000 : every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A person watching stderr: on Linux, stderr is a tty (stdout may be a file, as in
     * {@code deliver > summary.json}); elsewhere, the JVM has a console. TERM=dumb never is one.
     */
    static boolean onTerminal(Map<String, String> env) {
        if ("dumb".equals(env.getOrDefault("TERM", "dumb"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    private void report() {
        try {
            String line = label + " " + render(status.get(), Duration.ofNanos(System.nanoTime() - started));
            if (terminal) {
                err.print("\r" + line + "\033[K");
                drawn = true;
            } else {
                err.println(line);
            }
            err.flush();
        } catch (RuntimeException e) {
            // a status that cannot be read now is shown at the next tick
        }
    }

    static String render(Status s, Duration elapsed) {
        StringBuilder b = new StringBuilder();
        if (s.unit() == null) {
            b.append(s.note()); // no count to show, only what is going on and for how long
        } else if (s.total() > 0) {
            int filled = (int) Math.min(BAR, s.done() * BAR / s.total());
            b.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                    .append(s.done() * 100 / s.total()).append("% ")
                    .append(String.format("%,d/%,d %s", s.done(), s.total(), s.unit()));
        } else {
            b.append(String.format("%,d %s", s.done(), s.unit()));
        }
        if (s.unit() != null && s.note() != null && !s.note().isEmpty()) {
            b.append(", ").append(s.note());
        }
        long secs = elapsed.toSeconds();
        b.append(", ").append(secs >= 60 ? secs / 60 + "m " + secs % 60 + "s" : secs + "s");
        return b.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drawn) {
            err.print("\r\033[K"); // the result follows on a clean line
            err.flush();
        }
    }
}
