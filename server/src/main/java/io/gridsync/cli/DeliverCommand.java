package io.gridsync.cli;

import io.gridsync.server.Settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.contact.InMemoryIdentityLedger;
import io.gridsync.core.contact.InMemoryValueLedger;
import io.gridsync.core.deliver.Attempt;
import io.gridsync.core.deliver.Delivery;
import io.gridsync.core.integration.Integration;
import io.gridsync.core.message.Message;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./gridsync deliver}: runs Segment-spec messages (one JSON per line) through an
 * integration's subscriptions against SendGrid once, waits for the import jobs, and prints a JSON
 * summary. For backfills and for trying mappings.
 */
@Command(name = "deliver", mixinStandardHelpOptions = true,
        description = {"Delivers Segment-spec messages from an NDJSON file to SendGrid once and prints a JSON summary.",
                "Uses SENDGRID_API_KEY, SENDGRID_API_URL (global, eu or a URL such as the emulator's; default global) "
                        + "and SENDGRID_DEFAULT_LIST_ID. Progress goes to stderr, the summary to stdout.",
                "Exit code 0 when every message was delivered (or blocked by consent), 3 when some failed or still wait "
                        + "for a retry; see docs/cli.md for the others."})
public final class DeliverCommand implements Callable<Integer>, UsesStreams {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--integration", paramLabel = "FILE",
            description = "Integration file (docs/mappings.md). Without it the presets apply.")
    Path integrationFile;

    @Option(names = "--events", paramLabel = "FILE", required = true, description = "Messages, one JSON object per line ('-' for stdin).")
    String events;

    @Option(names = "--retry-rounds", paramLabel = "N", defaultValue = "3", description = "Times to retry what SendGrid asked to retry (default: ${DEFAULT-VALUE}).")
    int retryRounds;

    @Option(names = "--max-wait", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "Longest wait for a retry, e.g. 30s, 2m or PT2M (default: ${DEFAULT-VALUE}).")
    Duration maxWait;

    @Option(names = "--failures", paramLabel = "N", defaultValue = "100", description = "Failures listed in the summary at most (default: ${DEFAULT-VALUE}).")
    int maxFailuresListed;

    /** Environment, injectable for tests. */
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;
    /** Lines read so far, then the messages being delivered (-1 while reading), for the progress report. */
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong delivering = new AtomicLong(-1);

    @Override
    public void use(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        if (!events.equals("-") && !Files.isRegularFile(Path.of(events))) {
            throw UserError.badInput((Files.isDirectory(Path.of(events)) ? "--events " + events + " is a directory"
                    : "no such file: " + events + " (--events)") + "; pass an NDJSON file of Segment messages, e.g. examples/events.ndjson");
        }
        if (integrationFile != null && !Files.isRegularFile(integrationFile)) {
            throw UserError.badInput("no such file: " + integrationFile + " (--integration); pass an integration JSON file, "
                    + "e.g. examples/integration.json, or leave the option out for the presets");
        }
        try {
            env = Settings.resolve(env); // the environment, over gridsync.yaml when there is one
        } catch (IllegalArgumentException e) {
            err.println("gridsync deliver: " + e.getMessage());
            return 1;
        }
        String key = env.get("SENDGRID_API_KEY");
        if (key == null || key.isBlank()) {
            err.println("gridsync deliver: SENDGRID_API_KEY is not set. Set it to your SendGrid API key "
                    + "(or, against the emulator, to any key starting with SG.)");
            return 1;
        }
        SendGridClient client;
        Integration integration;
        try {
            String defaultList = env.get("SENDGRID_DEFAULT_LIST_ID");
            integration = integrationFile == null ? Integration.presets(defaultList)
                    : Integration.fromJson(MAPPER.readTree(integrationFile.toFile()), defaultList);
            String endpoint = env.getOrDefault("SENDGRID_API_URL", integration.endpoint());
            client = new SendGridClient(SendGridClient.resolveBaseUrl(endpoint), new ApiKey(key));
        } catch (IllegalArgumentException | IOException e) {
            err.println("gridsync deliver: " + (integrationFile != null && e instanceof IOException ? integrationFile + ": " : "")
                    + FailureMessage.oneLine(e.getMessage()));
            return ExitCode.BAD_INPUT;
        }
        Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
        AtomicLong requestCount = new AtomicLong();
        client.setListener((endpoint, status, nanos) -> {
            requests.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
            requestCount.incrementAndGet();
        });
        long lines = events.equals("-") ? 0 : countLines(Path.of(events)); // a bar needs a total; stdin has none
        try (Progress progress = new Progress(err, env, "deliver:", () -> delivering.get() < 0
                ? new Progress.Status(linesRead.get(), lines, "lines read", null)
                : new Progress.Status(0, 0, null, String.format("delivering %,d messages, %,d SendGrid requests so far",
                delivering.get(), requestCount.get())))) {
            return deliver(client, integration, requests);
        }
    }

    private static long countLines(Path file) throws IOException {
        try (var all = Files.lines(file, StandardCharsets.UTF_8)) {
            return all.count();
        }
    }

    private int deliver(SendGridClient client, Integration integration, Map<String, AtomicLong> requests) throws IOException {

        List<Message> messages = new ArrayList<>();
        List<Integer> lineOf = new ArrayList<>();
        ArrayNode invalid = MAPPER.createArrayNode();
        try (BufferedReader r = events.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(events), StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                linesRead.incrementAndGet();
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode j = MAPPER.readTree(line);
                    if (!j.isObject() || !j.hasNonNull("type")) {
                        throw new IllegalArgumentException("not a Segment message (a JSON object with a type)");
                    }
                    messages.add(new Message((ObjectNode) j));
                    lineOf.add(n);
                } catch (IOException | IllegalArgumentException e) {
                    invalid.addObject().put("line", n).put("reason", e instanceof IOException ? "invalid JSON" : e.getMessage());
                }
            }
        }

        delivering.set(messages.size());
        SendGridApi api = new SendGridApi(client);
        ActionContext ctx = ActionContext.of(api, new InMemoryIdentityLedger(), new InMemoryValueLedger(),
                integration.defaultListId(), integration.createMissingFields());
        List<Attempt> attempts = new Delivery(integration, ctx).deliver(messages, retryRounds, maxWait);
        ObjectNode summary = summarize(messages.size(), attempts, lineOf, requests, invalid);
        out.println(MAPPER.writeValueAsString(summary));
        boolean allGood = invalid.isEmpty() && attempts.stream().allMatch(a -> a.outcome() instanceof Outcome.Done
                || a.outcome() instanceof Outcome.Blocked);
        return allGood ? ExitCode.OK : ExitCode.PARTIAL;
    }

    private ObjectNode summarize(int count, List<Attempt> attempts, List<Integer> lineOf, Map<String, AtomicLong> requests,
                                 ArrayNode invalid) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("messages", count);
        s.put("invalid_lines", invalid.size());
        ObjectNode actions = s.putObject("actions");
        ArrayNode failures = MAPPER.createArrayNode();
        int unlisted = 0;
        for (Attempt a : attempts) {
            ObjectNode counts = actions.has(a.action()) ? (ObjectNode) actions.get(a.action())
                    : actions.putObject(a.action()).put("delivered", 0).put("failed", 0).put("retrying", 0).put("blocked", 0);
            Outcome o = a.outcome();
            String bucket = o instanceof Outcome.Done ? "delivered" : o instanceof Outcome.Dead ? "failed"
                    : o instanceof Outcome.Retry ? "retrying" : "blocked";
            counts.put(bucket, counts.get(bucket).asInt() + 1);
            if (a.outcome() instanceof Outcome.Dead || a.outcome() instanceof Outcome.Retry) {
                if (failures.size() < maxFailuresListed) {
                    ObjectNode f = failures.addObject();
                    f.put("line", lineOf.get(a.message()));
                    f.put("messageId", a.messageId());
                    f.put("action", a.action());
                    f.put("status", a.outcome().status());
                    f.put("retryable", a.outcome() instanceof Outcome.Retry);
                    f.put("reason", a.outcome().detail());
                } else {
                    unlisted++;
                }
            }
        }
        ObjectNode req = s.putObject("requests");
        new TreeMap<>(requests).forEach((k, v) -> req.put(k, v.get()));
        s.set("failures", failures);
        if (unlisted > 0) {
            s.put("failures_not_listed", unlisted);
        }
        if (!invalid.isEmpty()) {
            s.set("invalid", invalid);
        }
        return s;
    }
}
