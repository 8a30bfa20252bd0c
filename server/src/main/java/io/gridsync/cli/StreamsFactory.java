package io.gridsync.cli;

import picocli.CommandLine;

import java.io.PrintStream;
import java.util.Map;

/** Creates commands as picocli does and hands each the entry point's streams and environment. */
final class StreamsFactory implements CommandLine.IFactory {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    StreamsFactory(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        K made = CommandLine.defaultFactory().create(cls);
        if (made instanceof UsesStreams command) {
            command.use(out, err, env);
        }
        return made;
    }
}
