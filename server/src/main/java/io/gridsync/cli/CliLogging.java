package io.gridsync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * How much a command logs. One-shot commands (deliver, syncs, demo) print their result and
 * nothing else unless --verbose; servers (up, emulator) keep gridsync's INFO lines, which the
 * operator reads (docs/operations.md). The connection pool's and migrations' INFO lines are
 * noise to everyone but someone debugging, so they need --verbose. GRIDSYNC_LOG_LEVEL, when set,
 * decides the level of gridsync's own lines.
 */
final class CliLogging {

    private static final List<String> LIBRARIES = List.of("com.zaxxer.hikari", "org.flywaydb");

    private CliLogging() {}

    /** Sets the levels for one command; the answer puts back the ones before (a test JVM runs many commands). */
    static Runnable configure(boolean verbose, boolean server, Map<String, String> env) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> {}; // another SLF4J binding (an embedding): leave it as configured
        }
        Map<Logger, Level> before = new java.util.HashMap<>();
        before.put(context.getLogger(Logger.ROOT_LOGGER_NAME), context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        LIBRARIES.forEach(l -> before.put(context.getLogger(l), context.getLogger(l).getLevel()));
        String explicit = env.get("GRIDSYNC_LOG_LEVEL");
        Level own = explicit != null && !explicit.isBlank() ? Level.toLevel(explicit.trim(), Level.INFO)
                : verbose || server ? Level.INFO : Level.WARN;
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(own);
        for (String library : LIBRARIES) {
            context.getLogger(library).setLevel(verbose ? null : Level.WARN); // null: as the root says
        }
        return () -> before.forEach(Logger::setLevel);
    }
}
