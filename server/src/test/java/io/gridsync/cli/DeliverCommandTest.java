package io.gridsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./gridsync deliver} as a user runs it: an NDJSON file in, a JSON summary out, the emulator changed. */
class DeliverCommandTest {

    private static final ObjectMapper M = new ObjectMapper();
    private final Emulator emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(5));

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        emulator.close();
    }

    private record Run(int exit, JsonNode summary, String stderr) {}

    private Run run(Map<String, String> env, String... args) {
        DeliverCommand cmd = new DeliverCommand();
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

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("SENDGRID_API_KEY", "SG.cli-test");
        env.put("SENDGRID_API_URL", emulator.baseUrl());
        return env;
    }

    @Test
    void presetsDeliverIdentifiesAndTheSummaryCountsActionsRequestsAndFailures() throws Exception {
        Path events = dir.resolve("events.ndjson");
        Files.writeString(events, String.join("\n",
                "{\"type\":\"identify\",\"messageId\":\"1\",\"userId\":\"u1\",\"traits\":{\"email\":\"Ann@x.io\",\"first_name\":\"Ann\"}}",
                "{\"type\":\"identify\",\"messageId\":\"2\",\"userId\":\"u2\",\"traits\":{\"email\":\"bob@x.io\"}}",
                "not json",
                "{\"type\":\"identify\",\"messageId\":\"4\",\"userId\":\"u4\",\"traits\":{\"email\":\"broken@\"}}",
                "{\"type\":\"identify\",\"messageId\":\"5\",\"userId\":\"u5\",\"traits\":{\"email\":\"no@x.io\"},"
                        + "\"context\":{\"consent\":{\"categoryPreferences\":{\"marketing\":false}}}}",
                ""));

        Run r = run(env(), "--events", events.toString());

        assertThat(r.exit()).isEqualTo(3);
        JsonNode s = r.summary();
        assertThat(s.path("messages").asInt()).isEqualTo(4);
        assertThat(s.path("invalid_lines").asInt()).isEqualTo(1);
        assertThat(s.at("/invalid/0/line").asInt()).isEqualTo(3);
        assertThat(s.at("/actions/upsert_contact/delivered").asInt()).isEqualTo(2);
        assertThat(s.at("/actions/upsert_contact/failed").asInt()).isEqualTo(1);
        assertThat(s.at("/actions/upsert_contact/blocked").asInt()).isEqualTo(1);
        assertThat(s.at("/requests/PUT ~1v3~1marketing~1contacts").asInt()).isEqualTo(1);
        assertThat(s.at("/failures/0/line").asInt()).isEqualTo(4);
        assertThat(s.at("/failures/0/reason").asText()).contains("'broken@' is not a valid email");
        assertThat(emulator.stats().get("PUT", "/v3/marketing/contacts")).isEqualTo(1);
    }

    @Test
    void anIntegrationFileIsCheckedBeforeAnythingIsSent() throws Exception {
        Path integration = dir.resolve("integration.json");
        Files.writeString(integration, "{\"subscriptions\":[{\"name\":\"bad\",\"trigger\":\"type = \\\"identify\\\"\","
                + "\"action\":\"upsert_contact\",\"mapping\":{\"primary_email\":{\"@pth\":\"$.traits.email\"}}}]}");
        Path events = dir.resolve("e.ndjson");
        Files.writeString(events, "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"email\":\"a@x.io\"}}\n");

        Run r = run(env(), "--integration", integration.toString(), "--events", events.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("subscription 'bad'").contains("@pth");
        assertThat(emulator.stats().toJson().path("requests").size()).isZero();
    }

    @Test
    void aMissingKeyIsAUsageErrorThatSaysWhatToSet() throws Exception {
        Path events = dir.resolve("e.ndjson");
        Files.writeString(events, "{}\n");
        Run r = run(Map.of(), "--events", events.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("SENDGRID_API_KEY is not set");
    }

    /**
     * The whole file is one plan: 100,000 people plus 1,000 mixed-case messages for one more person
     * are 100,001 contacts, which SendGrid takes in ceil(100,001 / 30,000) = 4 upserts. Cutting the
     * input into 100,000-message chunks before planning made it 5.
     */
    @Test
    void aRunIsPlannedWholeSoPeopleAreCoalescedAcrossTheFile() throws Exception {
        Path events = dir.resolve("big.ndjson");
        try (var w = Files.newBufferedWriter(events)) {
            for (int i = 0; i < 100_000; i++) {
                w.write("{\"type\":\"identify\",\"messageId\":\"m" + i + "\",\"userId\":\"u" + i
                        + "\",\"traits\":{\"email\":\"person" + i + "@x.io\"}}\n");
            }
            for (int i = 0; i < 1_000; i++) {
                String email = (i % 2 == 0 ? "Last.One" : "last.one") + "@X.io";
                w.write("{\"type\":\"identify\",\"messageId\":\"z" + i + "\",\"userId\":\"last\",\"traits\":{\"email\":\""
                        + email + "\",\"first_name\":\"L" + i + "\"}}\n");
            }
        }

        Run r = run(env(), "--events", events.toString());

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.summary().path("messages").asInt()).isEqualTo(101_000);
        assertThat(r.summary().at("/requests/PUT ~1v3~1marketing~1contacts").asInt()).isEqualTo(4);
        assertThat(emulator.stats().toJson().at("/requests/PUT ~1v3~1marketing~1contacts").asInt()).isEqualTo(4);
    }
}
