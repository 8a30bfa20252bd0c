package io.gridsync.cli;

import io.gridsync.server.Settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.contact.InMemoryIdentityLedger;
import io.gridsync.core.contact.InMemoryValueLedger;
import io.gridsync.core.deliver.PersonRounds;
import io.gridsync.core.deliver.PersonSort;
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
import java.util.Map;
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

    @Option(names = "--spill-dir", paramLabel = "DIR",
            description = "Where the run's messages are sorted by person on disk (needs about the input's size; "
                    + "default: the system temp directory).")
    Path spillDir;

    @Option(names = "--failures", paramLabel = "N", defaultValue = "100", description = "Failures listed in the summary at most (default: ${DEFAULT-VALUE}).")
    int maxFailuresListed;

    /** Environment, injectable for tests. */
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;
    /** Lines read so far, then the messages being delivered (-1 while reading), for the progress report. */
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong delivering = new AtomicLong(-1);
    private final AtomicLong delivered = new AtomicLong();
    /** Lines sorted in memory at once before a sorted run goes to disk (about 100 MB at most). */
    private static final int SORT_RUN_LINES = 100_000;

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
                : new Progress.Status(delivered.get(), delivering.get(), "messages delivered",
                String.format("%,d SendGrid requests", requestCount.get())))) {
            return deliver(client, integration, requests);
        }
    }

    /** Lines in the file, for the bar's total: newline bytes counted, no text decoded (a bad byte is read()'s to report). */
    private static long countLines(Path file) throws IOException {
        long lines = 0;
        int last = '\n';
        byte[] buf = new byte[1 << 16];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
                last = buf[n - 1];
            }
        }
        return last == '\n' ? lines : lines + 1;
    }

    private int deliver(SendGridClient client, Integration integration, Map<String, AtomicLong> requests) throws IOException {
        DeliverySummary summary = new DeliverySummary(maxFailuresListed);
        Path under = spillDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : spillDir;
        Path spill;
        try {
            spill = Files.createTempDirectory(under, "gridsync-deliver-");
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : FailureMessage.rootMessage(e);
            throw UserError.badInput("cannot create the run's temporary files under " + under + " (" + FailureMessage.oneLine(why)
                    + "); pass --spill-dir with a writable directory that has room for about the input's size");
        }
        try (PersonSort sorted = new PersonSort(spill, SORT_RUN_LINES)) {
            read(sorted, summary);
            summary.messages(sorted.size());
            delivering.set(sorted.size());
            SendGridApi api = new SendGridApi(client);
            ActionContext ctx = ActionContext.of(api, new InMemoryIdentityLedger(), new InMemoryValueLedger(),
                    integration.defaultListId(), integration.createMissingFields());
            Delivery delivery = new Delivery(integration, ctx);
            try (PersonSort.Merged merged = sorted.read()) {
                PersonRounds rounds = new PersonRounds(merged);
                PersonRounds.Round round;
                while ((round = rounds.next()) != null) {
                    summary.add(delivery.deliver(round.messages(), retryRounds, maxWait), round.lines());
                    delivered.addAndGet(round.messages().size());
                    if (!round.personContinues()) {
                        // every person so far is complete, so what the ledgers know is never needed again
                        delivery = new Delivery(integration, ctx.withLedgers(new InMemoryIdentityLedger(), new InMemoryValueLedger()));
                    }
                }
            }
        } catch (IOException e) {
            throw UserError.badInput("could not write the run's temporary files under " + spill + ": "
                    + FailureMessage.oneLine(e.getMessage()) + "; free space there or pass --spill-dir with room for about the input's size");
        } finally {
            deleteQuietly(spill);
        }
        out.println(MAPPER.writeValueAsString(summary.toJson(requests)));
        return summary.allGood() ? ExitCode.OK : ExitCode.PARTIAL;
    }

    /** Reads and checks every line, handing the valid ones to the sort by person. */
    private void read(PersonSort sorted, DeliverySummary summary) throws IOException {
        try (BufferedReader r = events.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(events), StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = readLine(r, n + 1)) != null) {
                n++;
                linesRead.incrementAndGet();
                if (line.isBlank()) {
                    continue;
                }
                Message m;
                try {
                    JsonNode j = MAPPER.readTree(line);
                    if (!j.isObject() || !j.hasNonNull("type")) {
                        summary.invalidLine(n, "not a Segment message (a JSON object with a type)");
                        continue;
                    }
                    m = new Message((ObjectNode) j);
                } catch (IOException e) {
                    summary.invalidLine(n, "invalid JSON");
                    continue;
                }
                sorted.add(PersonRounds.personOf(m), n, line);
            }
        }
    }

    /**
     * The next line of --events; a failure to read it (bytes that are not UTF-8, a file gone) is the
     * input's problem and said as such, apart from the spill's write failures the caller reports.
     */
    private String readLine(BufferedReader r, long lineNumber) {
        try {
            return r.readLine();
        } catch (IOException e) {
            String why = e instanceof java.nio.charset.CharacterCodingException ? "it is not UTF-8 text" : FailureMessage.rootMessage(e);
            throw UserError.badInput("cannot read line " + lineNumber + " of " + events + " (--events): " + FailureMessage.oneLine(why)
                    + "; pass a UTF-8 NDJSON file of Segment messages");
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // nothing to clean
        }
        dir.toFile().delete();
    }
}
