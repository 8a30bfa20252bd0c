package io.gridsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./gridsync source}: the mirror of SendGrid objects into the warehouse, by hand. */
@Command(name = "source", mixinStandardHelpOptions = true,
        description = "SendGrid as a source: pulls lists, segments, contacts, single sends and field definitions into the warehouse.",
        subcommands = {SourceSyncCommand.class})
public final class SourceCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
