package io.gridsync.cli;

import io.gridsync.server.Settings;

import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.integrations.IntegrationPatch;
import io.gridsync.server.integrations.NewIntegration;
import io.gridsync.server.integrations.StoredIntegration;
import io.gridsync.server.webhook.WebhookSource;
import io.gridsync.server.webhook.WebhookSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./gridsync up}: the hub on its embedded defaults. SQLite in the data directory unless
 * GRIDSYNC_DATABASE_URL says otherwise; SendGrid from SENDGRID_API_KEY (and SENDGRID_API_URL), or,
 * with no key, the built-in emulator on 127.0.0.1:3030, with an integration installed against it.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Runs the gridsync hub on its embedded defaults: the collection API, delivery to SendGrid, the admin API.",
                "State is kept in SQLite in --data unless GRIDSYNC_DATABASE_URL is set. Without SENDGRID_API_KEY it also starts the "
                        + "built-in SendGrid emulator and installs an integration pointing at it. See docs/configuration.md."})
public final class UpCommand implements Callable<Integer>, UsesStreams {

    /** The name of the integration `up` installs when there is none. */
    static final String INTEGRATION = "sendgrid";
    static final String EMULATOR_KEY = "SG.gridsync-local-emulator";

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port of the collection and admin API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "gridsync-data", description = "Data directory: SQLite state, master key, warehouse (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--emulator-port", paramLabel = "PORT", defaultValue = "3030",
            description = "Port of the built-in SendGrid emulator, used when SENDGRID_API_KEY is unset (default: ${DEFAULT-VALUE}).")
    int emulatorPort;

    Map<String, String> env = System.getenv();
    PrintStream out = System.out;

    @Override
    public void use(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        env = Settings.resolve(env); // the environment, over gridsync.yaml when there is one
        HubConfig config = HubConfig.defaults(data, port).withEnvironment(env);
        Running running = start(config);
        EmulatorCommand.awaitShutdown(running::close);
        return ExitCode.OK;
    }

    /** The hub, and the emulator when there is no SendGrid key; both stop together. */
    record Running(Hub hub, Emulator emulator) {
        void close() {
            hub.close();
            if (emulator != null) {
                emulator.close();
            }
        }
    }

    /** Checks the data directory and the ports first, so each mistake is one {@link UserError} naming it. */
    Running start(HubConfig config) {
        String key = env.get("SENDGRID_API_KEY");
        boolean emulated = key == null || key.isBlank();
        if (config.databaseUrl() == null || emulated) {
            DataDirectory.prepare(data);
        }
        Ports.requireFree(config.host(), port, "--port");
        if (emulated) {
            Ports.requireFree("127.0.0.1", emulatorPort, "--emulator-port");
        }
        Emulator emulator = null;
        String endpoint;
        if (emulated) {
            try {
                // the emulator posts signed Event Webhook batches for the mail it accepts to the hub's capture endpoint
                emulator = Emulator.start(new EmulatorConfig().port(emulatorPort).stateFile(data.resolve("emulator-state.json"))
                        .webhookUrl("http://" + config.host() + ":" + port + "/v1/webhooks/sendgrid"));
            } catch (RuntimeException e) {
                throw UserError.cannotRun("could not start the built-in SendGrid emulator on 127.0.0.1:" + emulatorPort + ": "
                        + EmulatorCommand.rootMessage(e) + " (is another gridsync running? pass --emulator-port, or set SENDGRID_API_KEY)");
            }
            key = EMULATOR_KEY;
            endpoint = emulator.baseUrl();
            config = config.allowingEndpoint(endpoint); // the built-in emulator is the owner's own endpoint
        } else {
            endpoint = env.getOrDefault("SENDGRID_API_URL", "global");
        }
        Hub hub;
        try {
            hub = Hub.start(config);
        } catch (RuntimeException e) {
            if (emulator != null) {
                emulator.close();
            }
            throw UserError.cannotRun("could not start the hub (data in " + data.toAbsolutePath().normalize() + "): "
                    + FailureMessage.oneLine(EmulatorCommand.rootMessage(e)));
        }
        StoredIntegration integration = ensureIntegration(hub, endpoint, new ApiKey(key), emulator != null);
        if (emulator != null) {
            trustEmulatorWebhook(hub, emulator);
        }
        banner(hub, emulator, integration);
        return new Running(hub, emulator);
    }

    /** Installs the integration on first start; later starts point it at the key and endpoint now in use. */
    private StoredIntegration ensureIntegration(Hub hub, String endpoint, ApiKey key, boolean emulated) {
        Optional<StoredIntegration> existing = hub.integrations().findByName(INTEGRATION);
        if (existing.isEmpty()) {
            try {
                return hub.integrations().create(new NewIntegration(INTEGRATION, "sendgrid", "server_side", endpoint, key,
                        env.get("SENDGRID_DEFAULT_LIST_ID"), "marketing", emulated, null, true, null));
            } catch (RuntimeException e) {
                // another node of a cluster, starting at the same time on the same database, installed it first
                existing = hub.integrations().findByName(INTEGRATION);
                if (existing.isEmpty()) {
                    throw e;
                }
            }
        }
        StoredIntegration s = existing.get();
        boolean sameKey = hub.integrations().apiKey(s.id()).equals(key);
        if (s.endpoint().equals(endpoint) && sameKey) {
            return s;
        }
        return hub.integrations().update(s.id(), new IntegrationPatch(null, sameKey ? null : key,
                s.endpoint().equals(endpoint) ? null : endpoint, null, null, null, null)).orElseThrow();
    }

    private static String masked(String key) {
        return key.length() > 12 ? key.substring(0, 6) + "****" + key.substring(key.length() - 4) : "****";
    }

    /** The default webhook source verifies the built-in emulator's signature, unless a key was configured for it. */
    private void trustEmulatorWebhook(Hub hub, Emulator emulator) {
        WebhookSource source = hub.capture().sources().find(WebhookSources.DEFAULT).orElseThrow();
        if ("environment".equals(source.keyOrigin())) {
            return;
        }
        String url = emulator.config().webhookUrl;
        emulator.webhooks().all().stream().filter(w -> w.url().equals(url) && w.signed()).findFirst().ifPresent(w -> {
            boolean changed = !w.signingKey().publicKeyBase64().equals(source.publicKeyText());
            hub.capture().sources().setPublicKey(WebhookSources.DEFAULT, w.signingKey().publicKeyBase64());
            if (changed) {
                // said here because capture's start-up line was written before the key was set
                org.slf4j.LoggerFactory.getLogger(UpCommand.class)
                        .info("capture: the default webhook source verifies the built-in emulator's signatures from now on");
            }
        });
    }

    private void banner(Hub hub, Emulator emulator, StoredIntegration integration) {
        out.println("gridsync is up.");
        out.println();
        out.println("  Collection API:  " + hub.baseUrl() + "   (point analytics.js / analytics-java / analytics-node here)");
        // a secret is printed once, when this start created it; later starts say where it came from and how to rotate it
        out.println("  Write key:       " + (hub.writeKeyGenerated() ? hub.writeKey() + "   (shown once; keep it)"
                : masked(hub.writeKey()) + "   (GET /v1/admin/write-keys; rotate: POST a new one, then DELETE the old)"));
        out.println("  Admin token:     " + (hub.adminTokenGenerated() ? hub.adminToken() + "   (shown once; Authorization: Bearer ... on /v1/admin)"
                : "not shown: " + (env.get("GRIDSYNC_ADMIN_TOKEN") != null ? "GRIDSYNC_ADMIN_TOKEN" : "the one printed at the first start")
                + "; rotate with POST /v1/admin/admin-token/rotate"));
        out.println("  Console:         " + hub.baseUrl() + "/   (sign in with the admin token)");
        out.println("  Data:            " + data.toAbsolutePath()
                + (env.containsKey("GRIDSYNC_DATABASE_URL") ? " (state in GRIDSYNC_DATABASE_URL)" : " (SQLite)"));
        if (emulator != null) {
            out.println("  SendGrid:        the built-in emulator at " + emulator.baseUrl()
                    + " (SENDGRID_API_KEY is not set; nothing leaves this machine)");
            out.println("                   mail it accepted: " + emulator.baseUrl() + "/_emulator/mail");
        } else {
            out.println("  SendGrid:        " + integration.endpoint() + " with key " + integration.apiKeyMasked());
        }
        out.println("  Integration:     '" + integration.name() + "' (" + integration.id() + ")");
        out.println("  Event Webhook:   " + hub.baseUrl() + "/v1/webhooks/sendgrid -> warehouse " + hub.capture().warehouse().describe()
                + (emulator != null ? " (the emulator posts its events here)" : ""));
        WebhookSource source = hub.capture().sources().find(WebhookSources.DEFAULT).orElseThrow();
        out.println("                   " + (!source.verifies() ? "accepts unsigned posts (set SENDGRID_WEBHOOK_PUBLIC_KEY to verify)"
                : "environment".equals(source.keyOrigin()) ? "verifies signatures with SENDGRID_WEBHOOK_PUBLIC_KEY"
                : emulator != null ? "verifies the built-in emulator's signatures; an unsigned post gets 401 (other sources: docs/capture.md)"
                : "verifies signatures with the key set through PATCH /v1/admin/sources/" + WebhookSources.DEFAULT + " {\"webhook_public_key\": ...}"));
        out.println();
        out.println("Try it:");
        out.println("  curl -u " + (hub.writeKeyGenerated() ? hub.writeKey() : "$WRITE_KEY") + ": " + hub.baseUrl() + "/v1/identify -H 'Content-Type: application/json' \\");
        out.println("       -d '{\"userId\":\"u1\",\"traits\":{\"email\":\"ada@example.com\",\"first_name\":\"Ada\"}}'");
        out.println("  curl -H 'Authorization: Bearer " + (hub.adminTokenGenerated() ? hub.adminToken() : "$ADMIN_TOKEN") + "' " + hub.baseUrl() + "/v1/admin/events");
        out.println();
        out.println("Ctrl-C stops it gracefully.");
        out.flush();
    }
}
