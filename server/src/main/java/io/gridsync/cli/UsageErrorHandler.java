package io.gridsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

import java.util.List;

/** A command line picocli could not parse: one line saying what is wrong and where the help is, exit 1. */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        // an unknown option is the likelier mistake than the required one picocli reports first
        List<String> unknown = cl.getUnmatchedArguments();
        String problem = unknown.isEmpty() ? ex.getMessage()
                : (unknown.get(0).startsWith("-") ? "unknown option: " : cl.getSubcommands().isEmpty() ? "unexpected argument: "
                : "unknown command: ") + String.join(" ", unknown);
        String command = cl.getCommandSpec().qualifiedName();
        cl.getErr().println(command + ": " + FailureMessage.oneLine(problem) + "; see " + command + " --help");
        cl.getErr().flush();
        return ExitCode.BAD_INPUT;
    }
}
