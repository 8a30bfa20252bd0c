package io.gridsync.cli;

/**
 * A mistake a person can fix, said in one line with what to change; the entry point prints it
 * without a stack trace and exits with its code.
 */
public final class UserError extends RuntimeException {

    private final int exitCode;

    private UserError(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** The command line or a file it names is wrong: exit {@link ExitCode#BAD_INPUT}. */
    public static UserError badInput(String message) {
        return new UserError(message, ExitCode.BAD_INPUT);
    }

    /** The machine refuses (port, directory, database): exit {@link ExitCode#CANNOT_RUN}. */
    public static UserError cannotRun(String message) {
        return new UserError(message, ExitCode.CANNOT_RUN);
    }

    public int exitCode() {
        return exitCode;
    }
}
