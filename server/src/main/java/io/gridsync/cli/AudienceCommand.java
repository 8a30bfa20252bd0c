package io.gridsync.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./gridsync audience ...}: audiences kept in SendGrid lists. */
@Command(name = "audience", mixinStandardHelpOptions = true,
        description = "Audiences kept in SendGrid lists: cohort syncs from a CSV file or a SQL query (docs/audiences.md).",
        subcommands = {AudienceSyncCommand.class})
public final class AudienceCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
