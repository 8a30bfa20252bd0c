package io.gridsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/** {@code ./gridsync}: one command line for the hub, the emulator and the one-shot tools. */
@Command(name = "gridsync",
        mixinStandardHelpOptions = true,
        version = "gridsync 0.1.0",
        description = "Self-hosted customer-data hub for SendGrid: collect, deliver, capture, mirror.",
        footer = {"", "Run gridsync COMMAND --help for a command's options. Exit codes: 0 done, 1 fix the command line, "
                + "2 could not run here, 3 some items failed, 70 unexpected (docs/cli.md)."},
        subcommands = {UpCommand.class, DemoCommand.class, EmulatorCommand.class, DeliverCommand.class, AudienceCommand.class,
                SourceCommand.class, WebhookCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Commands that run until stopped; they keep gridsync's INFO log lines. */
    private static final Set<String> SERVERS = Set.of("up", "emulator");

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log more (connection pool, migrations, every INFO line) and print the stack trace of an error.")
    boolean verbose;

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.getenv());
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs one command line as {@code ./gridsync} does and answers its exit code (docs/cli.md). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return commandLine(out, err, env).execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine cl = new CommandLine(new Main(), new StreamsFactory(out, err, env));
        cl.setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler(new UsageErrorHandler())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setExecutionStrategy(parsed -> {
                    Runnable restore = CliLogging.configure(verbose(parsed), SERVERS.contains(leaf(parsed).commandSpec().name()), env);
                    try {
                        return new CommandLine.RunLast().execute(parsed);
                    } finally {
                        restore.run();
                    }
                });
        return cl;
    }

    /** --verbose anywhere on the command line (it is inherited by every subcommand). */
    static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static ParseResult leaf(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
