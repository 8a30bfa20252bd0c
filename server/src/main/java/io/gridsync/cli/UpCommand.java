package io.gridsync.cli;

import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ./gridsync up}: runs gridsync on its embedded defaults. The hub (collection API,
 * delivery, warehouse) is not built yet; until it is, this runs the SendGrid emulator with its
 * state kept in the data directory, and says so.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Runs gridsync on its embedded defaults (SQLite in --data, built-in SendGrid emulator "
                + "when SENDGRID_API_KEY is unset).")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "Port of the collection and admin API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", defaultValue = "./gridsync-data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--emulator-port", defaultValue = "3030", description = "Port of the built-in SendGrid emulator (default: ${DEFAULT-VALUE}).")
    int emulatorPort;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(data);
        EmulatorConfig config = new EmulatorConfig().port(emulatorPort).stateFile(data.resolve("emulator-state.json"));
        Emulator emulator;
        try {
            emulator = Emulator.start(config);
        } catch (RuntimeException e) {
            System.err.println("gridsync up: could not start the SendGrid emulator on 127.0.0.1:" + emulatorPort + ": "
                    + EmulatorCommand.rootMessage(e) + " (is another gridsync running? try --emulator-port)");
            return 1;
        }
        System.out.println("gridsync " + "0.1.0");
        System.out.println("  The hub (collection API on :" + port + ", delivery, warehouse) is not built yet in this version.");
        System.out.println("  Running the built-in SendGrid emulator instead, so you can try SendGrid calls locally:");
        System.out.println("    SENDGRID_API_URL=" + emulator.baseUrl() + "   (any API key starting with SG. works)");
        System.out.println("    curl -H 'Authorization: Bearer SG.test' " + emulator.baseUrl() + "/v3/scopes");
        System.out.println("  State is kept in " + config.stateFile.toAbsolutePath() + ". Ctrl-C to stop.");
        EmulatorCommand.awaitShutdown(emulator::close);
        return 0;
    }
}
