package io.gridsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./gridsync}: one command line for the hub, the emulator and the one-shot tools. */
@Command(name = "gridsync",
        mixinStandardHelpOptions = true,
        version = "gridsync 0.1.0",
        description = "Self-hosted customer-data hub for SendGrid: collect, deliver, capture, mirror.",
        subcommands = {UpCommand.class, DemoCommand.class, EmulatorCommand.class, DeliverCommand.class, AudienceCommand.class,
                SourceCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
