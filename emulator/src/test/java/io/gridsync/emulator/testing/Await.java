package io.gridsync.emulator.testing;

import java.util.function.BooleanSupplier;

/** Bounded polling for asynchronous outcomes: no test asserts on wall-clock time, it only waits. */
public final class Await {

    private Await() {}

    /** Polls until the condition holds; fails after a generous bound (never a timing assertion). */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what);
            }
        }
    }
}
