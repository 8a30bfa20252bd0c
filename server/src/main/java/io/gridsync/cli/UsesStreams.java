package io.gridsync.cli;

import java.io.PrintStream;
import java.util.Map;

/** A command that prints to, and reads the environment from, what the entry point hands it (tests hand in buffers). */
interface UsesStreams {

    void use(PrintStream out, PrintStream err, Map<String, String> env);
}
