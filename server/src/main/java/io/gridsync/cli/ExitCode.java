package io.gridsync.cli;

/**
 * The exit codes of every command, in one place (docs/cli.md repeats them): a script can tell
 * "fix the command line" from "fix the machine" from "some items failed".
 */
public final class ExitCode {

    /** Done: everything asked for happened. */
    public static final int OK = 0;
    /** What was typed is wrong: an unknown option, a bad value, a missing input file, a missing setting. Fix the command. */
    public static final int BAD_INPUT = 1;
    /** The command is fine but could not run here: a busy port, a data directory it cannot use, a database it cannot open. */
    public static final int CANNOT_RUN = 2;
    /** It ran, but some items failed or still wait for a retry; the summary lists them. */
    public static final int PARTIAL = 3;
    /** A failure gridsync did not expect (a bug); --verbose shows where. Same code as the hub exiting on an Error. */
    public static final int INTERNAL = 70;

    private ExitCode() {}
}
