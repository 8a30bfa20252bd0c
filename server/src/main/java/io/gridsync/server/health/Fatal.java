package io.gridsync.server.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens on an Error (OutOfMemoryError, StackOverflowError, ...) in any thread: the process
 * exits non-zero. After an Error a JVM's state is not to be trusted, and a hub whose writer threads
 * died while its HTTP port still answers would acknowledge nothing and say it is fine. Everything
 * acknowledged is durable, so the service manager's restart loses nothing.
 */
public final class Fatal {

    private static final Logger log = LoggerFactory.getLogger(Fatal.class);
    /** The exit status after an Error (EX_SOFTWARE). */
    public static final int EXIT_STATUS = 70;
    private static volatile boolean installed;

    private Fatal() {}

    /** Makes an Error that no code catches, in any thread, end the process. Idempotent. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof Error) {
                exit(t.getName(), (Error) e);
            } else if (previous != null) {
                previous.uncaughtException(t, e);
            } else {
                log.error("thread {} stopped by an unexpected exception", t.getName(), e);
            }
        });
    }

    /** Logs the Error and ends the process with {@link #EXIT_STATUS}; does not return. */
    public static void exit(String where, Error e) {
        try {
            log.error("fatal: {} in {}; exiting with status {} so the service manager restarts the hub "
                    + "(everything acknowledged is stored)", e, where, EXIT_STATUS, e);
        } catch (Throwable ignored) {
            // out of memory even for the log line: exit anyway
        }
        Runtime.getRuntime().halt(EXIT_STATUS);
    }
}
