package io.gridsync.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./gridsync webhook}: SendGrid's Event Webhook, by hand. */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "SendGrid's Event Webhook: send sample events, signed, to the hub's capture endpoint.",
        subcommands = {WebhookSendCommand.class})
public final class WebhookCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
