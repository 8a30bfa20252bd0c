package io.gridsync.cli;

import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The files in examples/ do what the README says, run through the real entry point against the emulator. */
class ExamplesTest {

    /** Tests run in server/; the examples are beside it. */
    private static final Path EXAMPLES = Path.of("..", "examples");

    private final Emulator emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(5));

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        emulator.close();
    }

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("SENDGRID_API_KEY", "SG.examples", "SENDGRID_API_URL", emulator.baseUrl()));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theEventsAndTheIntegrationDeliverCleanly() {
        Run r = run("deliver", "--events", EXAMPLES.resolve("events.ndjson").toString(),
                "--integration", EXAMPLES.resolve("integration.json").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("\"messages\" : 10", "\"invalid_lines\" : 0", "\"sync_audience\"", "\"update_contact_fields\"",
                "\"blocked\" : 1");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theCsvCohortPlansFourMembersAndSaysWhyTheFifthIsSkipped() {
        Run r = run("audience", "sync", "--audience", "vip", "--csv", EXAMPLES.resolve("vip.csv").toString(),
                "--data", dir.toString(), "--dry-run");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("4 adds", "1 skipped", "'not-an-email' is not a valid email address");
    }

    @Test
    void theSqlCohortRunsAgainstTheSqliteTableTheExampleCreates() throws Exception {
        Path db = dir.resolve("crm.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String sql : Files.readString(EXAMPLES.resolve("customers.sql")).replaceAll("(?m)^--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    s.executeUpdate(sql);
                }
            }
        }
        Run r = run("audience", "sync", "--audience", "big_spenders", "--jdbc-url", "jdbc:sqlite:" + db,
                "--query", Files.readString(EXAMPLES.resolve("vip.sql")).strip(), "--data", dir.resolve("data").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("3 adds", "3 added");
    }

    @Test
    void docsMappingsShowsTheExampleIntegration() throws Exception {
        assertThat(Files.readString(Path.of("..", "docs", "mappings.md"))).contains(Files.readString(EXAMPLES.resolve("integration.json")));
    }
}
