package io.gridsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./gridsync audience ...}: audiences kept in SendGrid lists. */
@Command(name = "audience", mixinStandardHelpOptions = true,
        description = "Audiences kept in SendGrid lists: cohort syncs from a CSV file or a SQL query (docs/audiences.md).",
        subcommands = {AudienceSyncCommand.class})
public final class AudienceCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
