package io.gridsync.cli;

import io.gridsync.server.Settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.core.sendgrid.SendGridClient;
import io.gridsync.server.HubConfig;
import io.gridsync.server.audiences.AudienceAccount;
import io.gridsync.server.audiences.AudienceRuns;
import io.gridsync.server.audiences.AudienceStore;
import io.gridsync.server.audiences.CohortSourceSpec;
import io.gridsync.server.audiences.CohortSync;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.StoredIntegration;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./gridsync audience sync}: one cohort sync of an audience from a CSV file or a SQL query,
 * planned against the membership kept in the data directory's state database, then applied (or,
 * with --dry-run, only printed).
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Syncs a cohort (a CSV file or a SQL query) into the audience's SendGrid list.",
                "It plans adds, removes, updates, unchanged and skipped rows against the previous run's membership, then sends "
                        + "only the differences. SendGrid: SENDGRID_API_KEY and SENDGRID_API_URL (global, eu or a URL such as the "
                        + "emulator's); without them, --integration's account. Membership is kept in the state database of --data "
                        + "(or GRIDSYNC_DATABASE_URL).",
                "Exit code 0 applied (or planned, with --dry-run), 3 some members failed, 2 the sync could not run; "
                        + "see docs/cli.md for the others."})
public final class AudienceSyncCommand implements Callable<Integer>, UsesStreams {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The state scope of syncs made by the command line against SENDGRID_API_KEY's account. */
    static final String CLI_SCOPE = io.gridsync.server.audiences.AudienceApi.CLI_SCOPE;

    @Option(names = "--audience", required = true, paramLabel = "KEY", description = "The audience's key; its list is named after it unless --list-name.")
    String audience;

    @Option(names = "--csv", paramLabel = "FILE", description = "The cohort as a CSV file with a header row (UTF-8).")
    Path csv;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "The cohort from a database, e.g. jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB (with --query).")
    String jdbcUrl;

    @Option(names = "--query", paramLabel = "SQL", description = "The query selecting the cohort (with --jdbc-url); one row per member.")
    String query;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "Database user for --jdbc-url; the password is read from GRIDSYNC_SOURCE_PASSWORD.")
    String jdbcUser;

    @Option(names = "--list-name", paramLabel = "NAME", description = "The SendGrid list (found or created by name); default: the audience's list, else its key.")
    String listName;

    @Option(names = "--map", paramLabel = "COLUMN=FIELD",
            description = "Maps a column to a contact field (first_name, city, ...) or a custom field by name; FIELD '-' leaves the column out. Repeatable.")
    Map<String, String> map = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "Print the plan and stop; nothing is sent or stored.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the plan and the result as one JSON object.")
    boolean json;

    @Option(names = "--reconcile", description = "Read the list's real members from SendGrid (export API) and repair drift made outside gridsync.")
    boolean reconcile;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "gridsync-data", description = "Data directory holding the state database (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--integration", paramLabel = "ID",
            description = "Keep the audience as this hub integration's (and, without SENDGRID_API_KEY, use its SendGrid account); default: the command line's own.")
    String integration;

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
            err.println("gridsync audience sync: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        CohortSourceSpec source;
        try {
            if ((csv == null) == (jdbcUrl == null)) {
                throw new IllegalArgumentException("give the cohort as --csv FILE or as --jdbc-url URL --query SQL");
            }
            if (csv != null && (query != null || jdbcUser != null)) {
                throw new IllegalArgumentException("--query and --jdbc-user go with --jdbc-url, not with --csv");
            }
            if (csv != null && !java.nio.file.Files.isRegularFile(csv)) {
                throw new IllegalArgumentException("no such file: " + csv + " (--csv); pass a CSV file with a header row, e.g. examples/vip.csv");
            }
            source = csv != null ? CohortSourceSpec.csv(csv)
                    : CohortSourceSpec.jdbc(jdbcUrl, jdbcUser, env.get("GRIDSYNC_SOURCE_PASSWORD"), query);
        } catch (IllegalArgumentException e) {
            err.println("gridsync audience sync: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        // a dry run against a data directory with no state yet plans against an empty one and leaves
        // nothing behind: no database, no master key, not even the directory
        Path stateDir = data;
        Path scratch = null;
        if (dryRun && config.databaseUrl() == null && !java.nio.file.Files.exists(data.resolve("gridsync.db"))) {
            try {
                scratch = java.nio.file.Files.createTempDirectory("gridsync-dry-run");
            } catch (java.io.IOException e) {
                err.println("gridsync audience sync: cannot make a scratch directory for the dry run: " + e.getMessage());
                return ExitCode.CANNOT_RUN;
            }
            stateDir = scratch;
            config = HubConfig.defaults(scratch, 0).withEnvironment(env);
        } else if (config.databaseUrl() == null) {
            DataDirectory.prepare(data);
        }
        try {
            return run(config, stateDir, source);
        } finally {
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory: the OS cleans it eventually
        }
    }

    private int run(HubConfig config, Path data, CohortSourceSpec source) {
        try (Database db = config.openDatabase()) {
            String scope = CLI_SCOPE;
            AudienceAccount account;
            String key = env.get("SENDGRID_API_KEY");
            Duration timeout = config.sendGridTimeout();
            // on a cluster's PostgreSQL the CLI's calls spend the account's one budget with the hubs'
            io.gridsync.server.cluster.SendGridClients clients = io.gridsync.server.cluster.SendGridClients.over(db);
            if (integration != null) {
                IntegrationStore store = new IntegrationStore(db, SecretBox.open(config));
                Optional<StoredIntegration> found = store.get(integration);
                if (found.isEmpty()) {
                    err.println("gridsync audience sync: no integration " + integration + " in " + (config.databaseUrl() == null
                            ? data.resolve("gridsync.db") : "GRIDSYNC_DATABASE_URL") + "; GET /v1/admin/integrations lists them");
                    return ExitCode.BAD_INPUT;
                }
                scope = found.get().id();
                account = key == null || key.isBlank()
                        ? new AudienceAccount(clients, SendGridClient.resolveBaseUrl(found.get().endpoint()), store.apiKey(scope), timeout,
                                Duration.ofMinutes(10))
                        : new AudienceAccount(clients, url(), new ApiKey(key), timeout, Duration.ofMinutes(10));
            } else {
                if (key == null || key.isBlank()) {
                    err.println("gridsync audience sync: SENDGRID_API_KEY is not set. Set it to your SendGrid API key (against the "
                            + "emulator, any key starting with SG.), or use a hub integration's account with --integration ID");
                    return ExitCode.BAD_INPUT;
                }
                account = new AudienceAccount(clients, url(), new ApiKey(key), timeout, Duration.ofMinutes(10));
            }
            CohortSync sync = new CohortSync(new AudienceStore(db), new AudienceRuns(db), data.resolve("spool"), Clock.systemUTC(),
                    Duration.ofMinutes(30));
            ObjectNode report;
            final String list = listName != null ? listName : audience;
            try (Progress progress = new Progress(err, env, "audience sync:", () -> new Progress.Status(0, 0, null,
                    (dryRun ? "planning " : "syncing ") + audience + " into list '" + list + "'"))) {
                report = sync.run(new CohortSync.Request(scope, audience, source, listName, map, dryRun, reconcile, "cli", null), account);
            }
            if (json) {
                out.println(MAPPER.writeValueAsString(report));
            } else {
                print(report);
            }
            if (report.has("error")) {
                if (!json) {
                    err.println("gridsync audience sync: " + report.get("error").asText());
                }
                return ExitCode.CANNOT_RUN;
            }
            return report.path("result").path("outcome").asText("ok").equals("partial") ? ExitCode.PARTIAL : ExitCode.OK;
        } catch (IllegalArgumentException e) {
            err.println("gridsync audience sync: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (Exception e) {
            err.println("gridsync audience sync: " + FailureMessage.oneLine(EmulatorCommand.rootMessage(e)));
            return ExitCode.CANNOT_RUN;
        }
    }

    private URI url() {
        return SendGridClient.resolveBaseUrl(env.getOrDefault("SENDGRID_API_URL", "global"));
    }

    /** The report for a person at a terminal. */
    private void print(ObjectNode r) {
        JsonNode list = r.path("list");
        JsonNode plan = r.path("plan");
        if (r.has("error") && !list.path("name").isTextual()) {
            return; // nothing was planned (a refused key, an unreadable source): the error line says it all
        }
        out.printf("audience %s -> list '%s' (%s)%s%n", r.path("audience").asText(), list.path("name").asText(),
                list.path("id").isTextual() ? list.path("id").asText() : "to be created", r.path("dry_run").asBoolean() ? "   [dry run]" : "");
        if (plan.isMissingNode()) {
            return;
        }
        long dups = plan.path("duplicates_merged").asLong();
        out.printf("source:  %s: %,d rows, %,d members%s%n", r.path("source").asText(), plan.path("rows").asLong(),
                plan.path("members").asLong(), dups == 0 ? "" : String.format(" (%,d duplicate row%s merged)", dups, dups == 1 ? "" : "s"));
        out.printf("plan:    %,d adds, %,d removes, %,d updates, %,d unchanged, %,d skipped%n", r.path("adds").asLong(),
                r.path("removes").asLong(), r.path("updates").asLong(), r.path("unchanged").asLong(), r.path("skipped").asLong());
        for (Iterator<Map.Entry<String, JsonNode>> it = plan.path("skipped").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode first = e.getValue().path("examples").path(0);
            out.printf("skipped: %s %,d (e.g. row %d: %s)%n", e.getKey(), e.getValue().path("count").asLong(), first.path("row").asLong(),
                    first.path("reason").asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = plan.path("field_errors").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.printf("fields:  column %s: %,d values left out (e.g. %s)%n", e.getKey(), e.getValue().path("count").asLong(),
                    e.getValue().path("examples").path(0).path("reason").asText());
        }
        plan.path("unknown_fields").forEach(u -> out.printf("fields:  %s: no such custom field; column left out%n", u.asText()));
        JsonNode rec = plan.path("reconcile");
        if (rec.has("list_members")) {
            out.printf("drift:   %,d members in SendGrid; %,d missing (to add back), %,d unexpected (to remove), %,d already in, %,d already gone%n",
                    rec.path("list_members").asLong(), rec.path("missing_from_list").path("count").asLong(),
                    rec.path("unexpected_in_list").path("count").asLong(), rec.path("already_in_list").path("count").asLong(),
                    rec.path("already_gone").path("count").asLong());
        }
        for (String k : new String[]{"adds", "updates", "removes"}) {
            JsonNode ex = plan.path("examples").path(k);
            if (ex.size() > 0) {
                out.printf("e.g. %-8s%s%n", k + ":", String.join(", ", MAPPER.convertValue(ex, String[].class)));
            }
        }
        JsonNode res = r.path("result");
        if (!res.isMissingNode()) {
            out.printf("result:  %s in %.2f s: %,d added, %,d updated, %,d removed, %,d failed%n", res.path("outcome").asText(),
                    res.path("seconds").asDouble(), res.path("added").asLong(), res.path("updated").asLong(), res.path("removed").asLong(),
                    res.path("failed").asLong());
            for (Iterator<Map.Entry<String, JsonNode>> it = res.path("failures").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode first = e.getValue().path("examples").path(0);
                out.printf("failed:  %s %,d (e.g. %s: %s)%n", e.getKey(), e.getValue().path("count").asLong(), first.path("email").asText(),
                        first.path("reason").asText());
            }
        }
        JsonNode req = r.has("requests") ? r.get("requests") : res.path("requests");
        if (req.size() > 0) {
            StringBuilder b = new StringBuilder();
            req.fields().forEachRemaining(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asLong()));
            out.println("requests: " + b);
        }
    }
}
