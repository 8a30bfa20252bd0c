package io.gridsync.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./gridsync source}: the mirror of SendGrid objects into the warehouse, by hand. */
@Command(name = "source", mixinStandardHelpOptions = true,
        description = "SendGrid as a source: pulls lists, segments, contacts, single sends and field definitions into the warehouse.",
        subcommands = {SourceSyncCommand.class})
public final class SourceCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
