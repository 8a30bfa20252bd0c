package io.gridsync.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Any exception that reached the entry point, as one line for a person and an exit code: the
 * JDK's file errors name the path and say what to do; anything else is reported as unexpected.
 */
record FailureMessage(String text, int exitCode) {

    static FailureMessage of(Throwable e) {
        if (e instanceof UserError u) {
            return new FailureMessage(u.getMessage(), u.exitCode());
        }
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof NoSuchFileException f) {
            return new FailureMessage("no such file or directory: " + f.getFile() + "; check the path", ExitCode.BAD_INPUT);
        }
        if (t instanceof AccessDeniedException f) {
            return new FailureMessage("permission denied: " + f.getFile() + "; choose a path you can read and write", ExitCode.CANNOT_RUN);
        }
        if (t instanceof FileAlreadyExistsException f) {
            return new FailureMessage(f.getFile() + " already exists as a file; choose another path", ExitCode.CANNOT_RUN);
        }
        if (t instanceof NotDirectoryException f) {
            return new FailureMessage(f.getFile() + " is not a directory; choose another path", ExitCode.CANNOT_RUN);
        }
        if (t instanceof FileSystemException f) {
            return new FailureMessage(f.getFile() + ": " + f.getReason() + "; choose another path", ExitCode.CANNOT_RUN);
        }
        if (t instanceof IOException) {
            return new FailureMessage(oneLine(rootMessage(t)), ExitCode.CANNOT_RUN);
        }
        if (t instanceof IllegalArgumentException) {
            return new FailureMessage(oneLine(t.getMessage()), ExitCode.BAD_INPUT); // settings and files validate this way
        }
        return new FailureMessage("unexpected error: " + oneLine(rootMessage(t)) + " (run again with --verbose to see where)",
                ExitCode.INTERNAL);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
