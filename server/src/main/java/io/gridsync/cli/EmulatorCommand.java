package io.gridsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.http.ApiKeys;
import io.gridsync.emulator.http.RateLimiter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ./gridsync emulator}: the SendGrid emulator on its own. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {"Runs the SendGrid v3 emulator on 127.0.0.1 until stopped (Ctrl-C).",
                "Point any SendGrid client at http://127.0.0.1:PORT. See docs/emulator.md."})
public final class EmulatorCommand implements Callable<Integer>, UsesStreams {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "3030", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--api-key", paramLabel = "KEY[=SCOPE,...]",
            description = "Accept this key (repeatable). KEY alone has full access; KEY=mail.send,marketing.read "
                    + "is restricted to those scopes. With no key, any key starting with SG. is accepted.")
    List<String> apiKeys = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON file with {\"api_keys\": {\"KEY\": [\"scope\", ...]}}, merged with --api-key.")
    Path configFile;

    @Option(names = "--webhook-url", paramLabel = "URL", description = "POST signed Event Webhook batches here.")
    String webhookUrl;

    @Option(names = "--import-delay-ms", paramLabel = "MS", defaultValue = "100",
            description = "How long contact imports stay pending (default: ${DEFAULT-VALUE} ms).")
    long importDelayMillis;

    @Option(names = "--export-rows-per-file", paramLabel = "N", defaultValue = "50000",
            description = "Contacts per export download URL (default: ${DEFAULT-VALUE}).")
    int exportRowsPerFile;

    @Option(names = "--webhook-flush-ms", paramLabel = "MS", defaultValue = "500",
            description = "Post an event batch when it is this old (default: ${DEFAULT-VALUE} ms; SendGrid: 30 s).")
    long webhookFlushMillis;

    @Option(names = "--webhook-batch-size", paramLabel = "N", defaultValue = "1000",
            description = "Post an event batch when it holds this many events (default: ${DEFAULT-VALUE}).")
    int webhookBatchSize;

    @Option(names = "--webhook-retry-initial-ms", paramLabel = "MS", defaultValue = "250",
            description = "First retry delay after a failed Event Webhook post; doubles per attempt (default: ${DEFAULT-VALUE} ms).")
    long webhookRetryInitialMillis;

    @Option(names = "--webhook-retry-max-ms", paramLabel = "MS", defaultValue = "30000",
            description = "Longest delay between Event Webhook retries (default: ${DEFAULT-VALUE} ms).")
    long webhookRetryMaxMillis;

    @Option(names = "--webhook-give-up-ms", paramLabel = "MS", defaultValue = "86400000",
            description = "Drop a batch still failing this long after its first post (default: ${DEFAULT-VALUE} ms = 24 h, as SendGrid).")
    long webhookGiveUpMillis;

    @Option(names = "--rate-limit", paramLabel = "FAMILY=N/Ss",
            description = "Requests per window per key for an endpoint family (contacts, lists, mail, "
                    + "field_definitions, segments, singlesends, templates, user, scopes) or 'default', e.g. "
                    + "contacts=3/1s. Default: 1000/1s.")
    List<String> rateLimits = new ArrayList<>();

    @Option(names = "--fault", paramLabel = "NAME=SHARE",
            description = "Inject faults into a share of /v3 requests (repeatable): error_500, error_503, "
                    + "rate_limit_429, timeout, connection_reset, e.g. error_503=0.05.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--fault-seed", paramLabel = "N", defaultValue = "42", description = "Seed for fault injection (default: ${DEFAULT-VALUE}).")
    long faultSeed;

    @Option(names = "--timeout-delay-ms", paramLabel = "MS", defaultValue = "15000",
            description = "How late a 'timeout' fault answers (default: ${DEFAULT-VALUE} ms).")
    long timeoutDelayMillis;

    @Option(names = "--state", paramLabel = "FILE",
            description = "Load the account from FILE at start if it exists, save it there at stop.")
    Path stateFile;

    PrintStream out = System.out;

    @Override
    public void use(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        EmulatorConfig config = toConfig();
        Ports.requireFree(host, port, "--port");
        Emulator emulator;
        try {
            emulator = Emulator.start(config);
        } catch (RuntimeException e) {
            throw UserError.cannotRun("could not start on " + host + ":" + port + ": " + FailureMessage.oneLine(rootMessage(e)));
        }
        out.println("SendGrid emulator listening on " + emulator.baseUrl());
        out.println("  API keys: " + (config.apiKeys.isEmpty()
                ? "any key starting with SG. (full access)" : config.apiKeys.size() + " configured"));
        out.println("  Event Webhook: " + (config.webhookUrl == null ? "off (set with --webhook-url or the settings API)" : config.webhookUrl));
        emulator.webhooks().oldest().filter(w -> w.signed()).ifPresent(w ->
                out.println("  Event Webhook public key (verify X-Twilio-Email-Event-Webhook-Signature with it): "
                        + w.signingKey().publicKeyBase64()));
        if (config.stateFile != null) {
            out.println("  state file: " + config.stateFile.toAbsolutePath());
        }
        out.println("  inspect: " + emulator.baseUrl() + "/_emulator/stats");
        out.flush();
        awaitShutdown(emulator::close);
        return ExitCode.OK;
    }

    EmulatorConfig toConfig() throws IOException {
        EmulatorConfig config = new EmulatorConfig();
        config.host = host;
        config.port = port;
        if (configFile != null) {
            JsonNode root = new ObjectMapper().readTree(configFile.toFile());
            JsonNode keys = root.path("api_keys");
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) keys::fields) {
                Set<String> scopes = new TreeSet<>();
                e.getValue().forEach(s -> scopes.add(s.asText()));
                config.apiKey(e.getKey(), scopes.isEmpty() ? ApiKeys.ALL_SCOPES : scopes);
            }
        }
        for (String k : apiKeys) {
            Map.Entry<String, Set<String>> e = ApiKeys.parse(k);
            config.apiKey(e.getKey(), e.getValue());
        }
        config.webhookUrl = webhookUrl;
        config.importDelayMillis = importDelayMillis;
        config.exportRowsPerFile = exportRowsPerFile;
        config.webhookFlushMillis = webhookFlushMillis;
        config.webhookBatchMaxEvents = webhookBatchSize;
        config.webhookRetryInitialMillis = webhookRetryInitialMillis;
        config.webhookRetryMaxMillis = webhookRetryMaxMillis;
        config.webhookRetryGiveUpMillis = webhookGiveUpMillis;
        for (String r : rateLimits) {
            int eq = r.indexOf('=');
            if (eq < 0) {
                throw new ParameterException(spec.commandLine(), "--rate-limit expects FAMILY=N/Ss, e.g. contacts=3/1s; got '" + r + "'");
            }
            try {
                RateLimiter.Limit limit = RateLimiter.Limit.parse(r.substring(eq + 1));
                if (r.substring(0, eq).equals("default")) {
                    config.defaultRateLimit = limit;
                } else {
                    config.rateLimit(r.substring(0, eq), limit);
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--rate-limit '" + r + "': " + e.getMessage());
            }
        }
        config.faults.addAll(faults);
        config.faultSeed = faultSeed;
        config.faultTimeoutDelayMillis = timeoutDelayMillis;
        config.stateFile = stateFile;
        return config;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Blocks until the JVM is asked to stop, then runs {@code onStop} once. */
    static void awaitShutdown(Runnable onStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                onStop.run();
            } finally {
                stopped.countDown();
            }
        }, "gridsync-shutdown"));
        stopped.await();
    }
}
