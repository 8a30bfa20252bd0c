package io.gridsync.cli;

import io.gridsync.server.Settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.server.HubConfig;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.StoredIntegration;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.source.BegunRun;
import io.gridsync.server.source.IntegrationSources;
import io.gridsync.server.source.Source;
import io.gridsync.server.source.SourceJson;
import io.gridsync.server.source.SourceRun;
import io.gridsync.server.source.SourceRuns;
import io.gridsync.server.source.SourceSettings;
import io.gridsync.server.source.SourceSettingsStore;
import io.gridsync.server.source.SourceSync;
import io.gridsync.server.source.RunStatus;
import io.gridsync.server.store.Database;
import io.gridsync.server.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./gridsync source sync}: one run of the object sync, now, in this process, recorded in the
 * state database like the hub's runs, with a JSON summary on stdout. The key is SENDGRID_API_KEY
 * (and SENDGRID_API_URL) when set, else the stored integration's (the data directory's master key
 * unseals it); the warehouse is GRIDSYNC_WAREHOUSE_URL or the SQLite files under {@code --data}.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Pulls SendGrid's lists, segments, contacts, single sends and field definitions into the warehouse once.",
                "It records the run like the hub's scheduled runs and prints a JSON summary. Uses SENDGRID_API_KEY and "
                        + "SENDGRID_API_URL when set, else the hub's stored integration named --source. See docs/mirror.md.",
                "Exit code 0 when the run succeeded (or found zero data), 3 when it failed or the key was refused; "
                        + "see docs/cli.md for the others."})
public final class SourceSyncCommand implements Callable<Integer>, UsesStreams {

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String DEFAULT_SOURCE = "sendgrid";

    @Option(names = "--source", paramLabel = "NAME",
            description = "The source: an integration's name (default: sendgrid, or the only integration there is).")
    String sourceName;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "gridsync-data",
            description = "Data directory: state database, master key, SQLite warehouse (default: ${DEFAULT-VALUE}).")
    Path data;

    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public void use(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() {
        HubConfig config;
        try {
            env = Settings.resolve(env); // the environment, over gridsync.yaml when there is one
            config = HubConfig.defaults(data, 0).withEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println("gridsync source sync: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        DataDirectory.prepare(data); // the master key, the spool and the SQLite warehouse live here even with GRIDSYNC_DATABASE_URL
        Database db;
        try {
            db = config.openDatabase();
        } catch (RuntimeException e) {
            err.println("gridsync source sync: cannot open the state database (" + (config.databaseUrl() == null
                    ? data.toAbsolutePath().normalize().resolve("gridsync.db") : "GRIDSYNC_DATABASE_URL") + "): "
                    + FailureMessage.oneLine(EmulatorCommand.rootMessage(e)));
            return ExitCode.CANNOT_RUN;
        }
        try (db) {
            SourceSettingsStore settings = new SourceSettingsStore(db);
            Source source;
            try {
                source = resolve(config, db, settings);
            } catch (IllegalArgumentException e) {
                err.println("gridsync source sync: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            Warehouse warehouse;
            try {
                warehouse = Warehouse.open(config.warehouseUrl(), config.warehouseUser(), config.warehousePassword(), data);
            } catch (RuntimeException e) {
                err.println("gridsync source sync: cannot open the warehouse: " + FailureMessage.oneLine(EmulatorCommand.rootMessage(e)));
                return ExitCode.CANNOT_RUN;
            }
            SourceRuns runs = new SourceRuns(db);
            try (warehouse; SourceSync sync = new SourceSync(warehouse, runs, Clock.systemUTC(), config.sendGridTimeout(),
                    io.gridsync.server.cluster.SendGridClients.over(db))) {
                BegunRun begun = runs.begin(source.name(), "cli", Clock.systemUTC().instant());
                if (begun.existing()) {
                    err.println("gridsync source sync: run " + begun.run().id() + " of source '" + source.name() + "' is "
                            + begun.run().status().wire() + " since " + begun.run().startedAt() + "; wait for it (GET /v1/admin/sources/"
                            + source.name() + "/runs/" + begun.run().id() + ") and try again");
                    return ExitCode.PARTIAL;
                }
                SourceRun run;
                try (Progress progress = new Progress(err, env, "source sync:", () -> new Progress.Status(0, 0, null,
                        "pulling '" + source.name() + "' into " + warehouse.describe()))) {
                    run = sync.run(source, begun.run().id());
                }
                ObjectNode summary = SourceJson.run(run);
                summary.put("schema", source.schema());
                summary.put("warehouse", warehouse.describe());
                out.println(PRETTY.writeValueAsString(summary));
                return run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.ZERO_DATA_SYNCED ? ExitCode.OK : ExitCode.PARTIAL;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** SENDGRID_API_KEY when set; else the stored integration named --source (or the only one, or "sendgrid"). */
    private Source resolve(HubConfig config, Database db, SourceSettingsStore settings) {
        String key = env.get("SENDGRID_API_KEY");
        if (key != null && !key.isBlank()) {
            String name = sourceName != null ? sourceName : DEFAULT_SOURCE;
            SourceSettings s = settings.get(name);
            return new Source(name, s.schema() != null ? s.schema() : SourceSettings.defaultSchema(name),
                    env.getOrDefault("SENDGRID_API_URL", "global"), new ApiKey(key), config.sourceInterval(), true, "SENDGRID_API_KEY",
                    s.collectionsOff());
        }
        IntegrationStore integrations = new IntegrationStore(db, SecretBox.open(config));
        List<StoredIntegration> all = integrations.list();
        String name = sourceName != null ? sourceName : all.size() == 1 ? all.get(0).name() : DEFAULT_SOURCE;
        Optional<Source> found = new IntegrationSources(integrations, settings, config.sourceInterval()).find(name);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("SENDGRID_API_KEY is not set and " + (all.isEmpty() ? "there is no integration in "
                    + data.toAbsolutePath() : "there is no integration named '" + name + "' (there are: "
                    + String.join(", ", all.stream().map(StoredIntegration::name).toList()) + ")")
                    + "; set SENDGRID_API_KEY (and SENDGRID_API_URL), or name an integration with --source, or run ./gridsync up first");
        }
        return found.get();
    }
}
