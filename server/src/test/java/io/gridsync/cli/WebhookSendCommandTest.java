package io.gridsync.cli;

import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.webhook.WebhookSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./gridsync webhook send examples/webhook-events.json} as under {@code up}: the emulator posts
 * the sample, signed with its key, to a hub whose default source verifies that key; the events land
 * in the warehouse. A hub that does not trust the key refuses the post, and the command says so.
 */
class WebhookSendCommandTest {

    @TempDir
    Path dir;
    private Hub hub;
    private Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private record Run(int exit, String out, String err) {}

    private Run send(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSampleLandsInTheWarehouseSignedAsSendGridWouldSendIt() throws Exception {
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0));
        emulator = Emulator.start(new EmulatorConfig().port(0).webhookUrl(hub.baseUrl() + "/v1/webhooks/sendgrid"));
        String key = emulator.webhooks().all().get(0).signingKey().publicKeyBase64();
        hub.capture().sources().setPublicKey(WebhookSources.DEFAULT, key); // what up does

        Run r = send("webhook", "send", Path.of("../examples/webhook-events.json").toString(), "--emulator", emulator.baseUrl());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().trim()).startsWith("posted 4 event(s), signed, to " + hub.baseUrl() + "/v1/webhooks/sendgrid: 200");
        assertThat(count("delivered")).isEqualTo(1);
        assertThat(count("bounce")).isEqualTo(1);
        assertThat(count("_open")).isEqualTo(1);
    }

    @Test
    void aRefusedPostAndMistakesAreSaidInOneLine() throws Exception {
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0));
        emulator = Emulator.start(new EmulatorConfig().port(0).webhookUrl(hub.baseUrl() + "/v1/webhooks/sendgrid"));
        // the default source verifies another key: the emulator's signature is refused
        hub.capture().sources().setPublicKey(WebhookSources.DEFAULT,
                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==");
        Run refused = send("webhook", "send", Path.of("../examples/webhook-events.json").toString(), "--emulator", emulator.baseUrl());
        assertThat(refused.exit()).isEqualTo(ExitCode.PARTIAL);
        assertThat(refused.out()).contains(": 403; the emulator retries it");
        assertThat(count("delivered")).isZero();

        Run missing = send("webhook", "send", "nope.json", "--emulator", emulator.baseUrl());
        assertThat(missing.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(missing.err().trim()).isEqualTo("gridsync webhook send: no such file: nope.json; pass a JSON array of Event "
                + "Webhook events, e.g. examples/webhook-events.json");
        Run nobody = send("webhook", "send", Path.of("../examples/webhook-events.json").toString(), "--emulator", "http://127.0.0.1:9");
        assertThat(nobody.exit()).isEqualTo(ExitCode.CANNOT_RUN);
        assertThat(nobody.err().lines().count()).isEqualTo(1);
        assertThat(nobody.err()).contains("cannot reach the SendGrid emulator at http://127.0.0.1:9");
    }

    private long count(String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/warehouse/sendgrid.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
