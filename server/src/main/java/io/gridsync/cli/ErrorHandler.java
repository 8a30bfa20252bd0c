package io.gridsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Whatever a command threw: one line naming the problem, the stack trace only with --verbose. */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        FailureMessage m = FailureMessage.of(ex);
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + m.text());
        if (Main.verbose(parsed)) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return m.exitCode();
    }
}
