package io.gridsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * docs/cli.md, rendered from the commands themselves (their --help and {@link ExitCode}) so the
 * reference cannot drift; CliReferenceTest fails when the file differs. Regenerate with
 * {@code java -cp server/target/gridsync.jar io.gridsync.cli.CliReference docs/cli.md}.
 */
public final class CliReference {

    private CliReference() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CliReference FILE   (writes the command-line reference, e.g. docs/cli.md)");
            System.exit(ExitCode.BAD_INPUT);
        }
        Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
    }

    public static String render() {
        PrintStream none = new PrintStream(PrintStream.nullOutputStream());
        CommandLine root = Main.commandLine(none, none, Map.of());
        StringBuilder b = new StringBuilder();
        b.append("""
                # The command line

                <!-- Generated from the commands by io.gridsync.cli.CliReference; CliReferenceTest fails when it drifts. Do not edit by hand. -->

                `./gridsync COMMAND [OPTIONS]` runs `server/target/gridsync.jar`, building it first when the sources changed.
                Every command answers `--help`; this page is the same text, for reading ahead.

                ## Conventions

                - **Output.** A command's result (a JSON summary, a report) goes to stdout; progress, warnings and errors
                  go to stderr, so `./gridsync deliver ... > summary.json` keeps the JSON clean. Progress is a bar redrawn
                  in place on a terminal and one line every 5 seconds otherwise; quick runs show none.
                - **Errors.** A mistake is one line on stderr, `gridsync COMMAND: what is wrong; what to do`, and an exit
                  code from the table below. No stack traces: `--verbose` (accepted by every command) adds the trace
                  of an error and the INFO lines of the connection pool and migrations.
                - **Logs.** One-shot commands (`deliver`, `audience sync`, `source sync`, `demo`) log warnings and errors only;
                  `up` and `emulator` also log gridsync's INFO lines (docs/operations.md). `GRIDSYNC_LOG_LEVEL` overrides both.
                - **Durations** are written as in settings: `30s`, `2m`, `24h`, `2d`, `500ms`, `1h30m`, or ISO 8601 (`PT2M`).
                - **Data directory.** `--data` (default `gridsync-data`, relative to where you run the command) holds the
                  SQLite state, the master key and the SQLite warehouse. It is checked before anything starts: a file, or a
                  directory that cannot be created or written, is named with what to do.

                ## Exit codes

                | code | meaning | examples |
                |---|---|---|
                """);
        row(b, ExitCode.OK, "done: everything asked for happened", "the hub stopped with Ctrl-C; every message delivered (or blocked by consent)");
        row(b, ExitCode.BAD_INPUT, "fix the command line: what was typed or a file it names is wrong",
                "an unknown option or command, a bad value (`--max-wait 2x`), a missing `--events` file, an invalid integration file, "
                        + "`SENDGRID_API_KEY` not set, `demo --data` on a directory the demo did not make");
        row(b, ExitCode.CANNOT_RUN, "fix the machine: the command is fine but could not run here",
                "a busy port, a data directory that is a file or cannot be written, a database that cannot be opened, "
                        + "a cohort sync that could not start");
        row(b, ExitCode.PARTIAL, "it ran, but not everything succeeded; the output lists what failed",
                "some messages failed or still wait for a retry, some cohort members failed, a source run failed or its key was refused");
        row(b, ExitCode.INTERNAL, "unexpected: a bug in gridsync; run again with `--verbose` and report the trace",
                "the hub also exits 70 on a fatal JVM error (docs/operations.md)");
        b.append('\n');
        appendCommand(b, root);
        return b.toString();
    }

    private static void row(StringBuilder b, int code, String meaning, String examples) {
        b.append("| ").append(code).append(" | ").append(meaning).append(" | ").append(examples).append(" |\n");
    }

    private static void appendCommand(StringBuilder b, CommandLine cl) {
        b.append("## `").append(cl.getCommandSpec().qualifiedName()).append("`\n\n```\n")
                .append(cl.getUsageMessage(Ansi.OFF).stripTrailing()).append("\n```\n\n");
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                appendCommand(b, sub);
            }
        });
    }
}
