package io.gridsync.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.HubCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration version moves when a store of what the nodes cache changes something, and not
 * for admin calls that change nothing there: every bump makes every other node reload.
 */
class ConfigVersionTest {

    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path dir;
    private Emulator emulator;
    private Hub hub;
    private String integration;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        emulator = Emulator.start(new EmulatorConfig().port(0));
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(HubCalls.LOCAL_ENDPOINTS), Clock.systemUTC());
        HubCalls.installSendGrid(hub.baseUrl(), hub.adminToken(), "SendGrid", "SG.config-version-0123456789", emulator.baseUrl());
        integration = call("GET", "/v1/admin/integrations", null).body().path("integrations").get(0).path("id").asText();
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        emulator.close();
    }

    @Test
    void aSignInAPreviewOrAReplayLeavesTheVersionAndAChangeMovesIt() throws Exception {
        long before = version();

        assertThat(call("POST", "/v1/admin/session", "{\"token\":\"" + hub.adminToken() + "\"}").status()).isEqualTo(201);
        assertThat(call("POST", "/v1/admin/integrations/" + integration + "/subscriptions/preview", """
                {"subscription": {"trigger": "type = \\"identify\\"", "action": "upsert_contact"},
                 "message": {"type": "identify", "userId": "u1", "traits": {"email": "lin@example.com"}}}""").status())
                .isEqualTo(200);
        assertThat(call("POST", "/v1/admin/dead-letters/replay", "{\"integration\":\"" + integration + "\"}").status())
                .isEqualTo(200);
        assertThat(call("PATCH", "/v1/admin/integrations/" + integration, "{}").status()).as("an empty patch").isEqualTo(200);
        assertThat(version()).as("after calls that change no configuration").isEqualTo(before);

        Answer created = call("POST", "/v1/admin/write-keys", "{\"name\":\"shop\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(version()).as("after a write key was created").isEqualTo(before + 1);

        assertThat(call("PUT", "/v1/admin/sources/shop_events", "{}").status()).isLessThan(300);
        assertThat(version()).as("after a webhook source was created").isGreaterThan(before + 1);
    }

    private long version() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("gridsync.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM config_version WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record Answer(int status, JsonNode body) {}

    private Answer call(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header("Authorization", "Bearer " + hub.adminToken())
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isBlank() ? M.createObjectNode() : M.readTree(r.body()));
    }
}
