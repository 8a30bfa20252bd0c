package io.gridsync.emulator.contacts;

/**
 * Why one row of a contacts job was not applied; the message goes to the job's errors file.
 * A checked exception without a stack trace: it is an expected outcome, not a failure.
 */
final class RowError extends Exception {
    RowError(String message) {
        super(message, null, false, false);
    }
}
