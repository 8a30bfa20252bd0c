package io.gridsync.server.health;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * How a supervised worker's unexpected failures reach the log: each kind (class and message) once
 * with its stack, the same again at most one line a minute with the count ({@link LogEvery}).
 */
final class FailureLog {

    /** Kinds remembered as already said with a stack; past this many the memory starts over. */
    private static final int MAX_KINDS = 1_000;

    private final LogEvery repeats = new LogEvery(Duration.ofMinutes(1));
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    interface First {
        void log(Exception e);
    }

    /** Calls {@code first} for a kind not said before, {@code again} with the count when a repeat line is due. */
    void report(Exception e, First first, LongConsumer again) {
        String kind = e.getClass().getName() + ": " + e.getMessage();
        long n = repeats.tick(kind);
        if (n == 0) {
            return;
        }
        if (said.size() >= MAX_KINDS) {
            said.clear();
        }
        if (said.add(kind)) {
            first.log(e);
        } else {
            again.accept(n);
        }
    }
}
