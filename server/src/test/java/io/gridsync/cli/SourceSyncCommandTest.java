package io.gridsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.HubConfig;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.NewIntegration;
import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.source.SourceRuns;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.MirrorAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./gridsync source sync} as a user runs it: with SENDGRID_API_KEY, or with the integration
 * stored in the data directory; a JSON summary out, the SQLite warehouse filled, the run recorded.
 */
class SourceSyncCommandTest {

    private static final ObjectMapper M = new ObjectMapper();
    private final Emulator emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(5).apiKey("SG.cli-mirror-key",
            io.gridsync.emulator.http.ApiKeys.ALL_SCOPES));

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        emulator.close();
    }

    private record Run(int exit, JsonNode summary, String stderr) {}

    private Run run(Map<String, String> env, String... args) {
        SourceSyncCommand cmd = new SourceSyncCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cmd.env = env;
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(cmd).execute(args);
        try {
            String o = out.toString(StandardCharsets.UTF_8);
            return new Run(exit, o.isBlank() ? null : M.readTree(o), err.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void seed() {
        MirrorAccount sg = new MirrorAccount(emulator.baseUrl(), "SG.cli-mirror-key");
        String list = sg.createList("cli");
        sg.putContacts(List.of(list), 0, 25, i -> "{\"email\":\"c" + i + "@example.com\"}");
    }

    @Test
    void withTheKeyInTheEnvironmentItSyncsIntoTheDataDirectoryAndPrintsTheRun() throws Exception {
        seed();
        Path data = dir.resolve("data");
        Run r = run(Map.of("SENDGRID_API_KEY", "SG.cli-mirror-key", "SENDGRID_API_URL", emulator.baseUrl()), "--data", data.toString());

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.summary().path("status").asText()).isEqualTo("succeeded");
        assertThat(r.summary().path("source").asText()).isEqualTo("sendgrid");
        assertThat(r.summary().path("trigger").asText()).isEqualTo("cli");
        assertThat(r.summary().path("schema").asText()).isEqualTo("sendgrid");
        assertThat(r.summary().path("rows").path("recipients").asLong()).isEqualTo(25);
        assertThat(r.summary().path("rows").path("lists").asLong()).isEqualTo(1);
        assertThat(r.summary().toString()).doesNotContain("SG.cli-mirror-key");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("warehouse/sendgrid.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM recipients")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(25);
        }
        try (Database db = Database.sqlite(data)) {
            assertThat(new SourceRuns(db).list("sendgrid", 5)).hasSize(1);
        }
    }

    @Test
    void withoutAKeyItUsesTheStoredIntegration() {
        seed();
        Path data = dir.resolve("data");
        try (Database db = Database.sqlite(data)) {
            new IntegrationStore(db, SecretBox.open(HubConfig.defaults(data, 0))).create(new NewIntegration("main account", "sendgrid",
                    "server_side", emulator.baseUrl(), new ApiKey("SG.cli-mirror-key"), null, "marketing", false, null, true, null));
        }
        Run r = run(Map.of(), "--data", data.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.summary().path("source").asText()).isEqualTo("main account");
        assertThat(r.summary().path("schema").asText()).isEqualTo("main_account");
        assertThat(data.resolve("warehouse/main_account.db")).exists();
    }

    @Test
    void aRefusedKeyExitsThreeAndNoSourceExitsOne() {
        Run refused = run(Map.of("SENDGRID_API_KEY", "SG.not-a-key-it-knows", "SENDGRID_API_URL", emulator.baseUrl()),
                "--data", dir.resolve("a").toString());
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.summary().path("status").asText()).isEqualTo("invalid_credentials");
        assertThat(refused.summary().path("message").asText()).startsWith("invalid credentials").contains("SENDGRID_API_KEY");

        Run none = run(Map.of(), "--data", dir.resolve("b").toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.stderr()).contains("SENDGRID_API_KEY is not set").contains("no integration");
    }
}
