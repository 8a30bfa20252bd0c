package io.gridsync.emulator.http;

import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every /v3 request goes through: auth, scopes, rate limits, faults, error shapes. */
class GatewayTest {

    private Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private SendGridHttp start(EmulatorConfig config) {
        emulator = Emulator.start(config.port(0));
        return new SendGridHttp(emulator.baseUrl(), "SG.full");
    }

    @Test
    void withNoKeyConfiguredAnySgKeyIsAcceptedAndOthersGet401() {
        SendGridHttp sg = start(new EmulatorConfig());

        SendGridHttp.Response ok = sg.get("/v3/scopes");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("scopes").toString()).contains("mail.send", "marketing.write");

        SendGridHttp.Response bad = sg.withKey("not-a-sendgrid-key").get("/v3/scopes");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().at("/errors/0/message").asText()).isEqualTo("authorization required");
        assertThat(bad.json().at("/errors/0/field").isNull()).isTrue();

        assertThat(sg.withKey(null).get("/v3/user/account").status()).isEqualTo(401);
        sg.assertConforms();
    }

    @Test
    void configuredKeysAreTheOnlyOnesAndScopesAreEnforcedWith403() {
        SendGridHttp sg = start(new EmulatorConfig()
                .apiKey("SG.full", ApiKeys.ALL_SCOPES)
                .apiKey("SG.mailonly", Set.of("mail.send")));

        assertThat(sg.withKey("SG.other").get("/v3/scopes").status()).isEqualTo(401);
        SendGridHttp mailOnly = sg.withKey("SG.mailonly");
        assertThat(mailOnly.get("/v3/scopes").json().get("scopes").toString()).isEqualTo("[\"mail.send\"]");
        SendGridHttp.Response forbidden = mailOnly.get("/v3/user/account");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().at("/errors/0/message").asText()).isEqualTo("access forbidden");

        SendGridHttp.Response account = sg.get("/v3/user/account");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.json().get("type").asText()).isNotEmpty();
        sg.assertConforms();
    }

    @Test
    void everyResponseCarriesRateLimitHeadersAndTheWindowEndsIn429() {
        SendGridHttp sg = start(new EmulatorConfig().rateLimit("scopes", new RateLimiter.Limit(3, 60)));

        long now = System.currentTimeMillis() / 1000;
        for (int remaining = 2; remaining >= 0; remaining--) {
            SendGridHttp.Response r = sg.get("/v3/scopes");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(r.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(remaining));
            assertThat(Long.parseLong(r.header("X-RateLimit-Reset"))).isBetween(now, now + 61);
        }
        SendGridHttp.Response limited = sg.get("/v3/scopes");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.text()).isEqualTo("{\"errors\":[{\"field\":null,\"message\":\"too many requests\"}]}");
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");

        // another family has its own window
        assertThat(sg.get("/v3/user/account").status()).isEqualTo(200);
        assertThat(emulator.stats().get("GET", "/v3/scopes")).isEqualTo(4);
        // of those four, the stats name the one the limit refused
        assertThat(new SendGridHttp(emulator.baseUrl(), null).get("/_emulator/stats").json().at("/rate_limited").toString())
                .isEqualTo("{\"GET /v3/scopes\":1}");
    }

    @Test
    void unknownRoutesAndOverlongUrlsGetSendGridShapedErrors() {
        SendGridHttp sg = start(new EmulatorConfig());

        SendGridHttp.Response missing = sg.get("/v3/no/such/thing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/errors/0/message").asText()).isNotEmpty();

        SendGridHttp.Response tooLong = sg.get("/v3/scopes?ids=" + "a".repeat(9000));
        assertThat(tooLong.status()).isEqualTo(414);
        assertThat(tooLong.json().at("/errors/0/message").asText()).contains("too long");
    }

    @Test
    void injectedFaultsAnswer5xxAnd429AndCanBeChangedAtRuntime() {
        SendGridHttp sg = start(new EmulatorConfig().fault("error_503=1.0"));
        SendGridHttp.Response r = sg.get("/v3/scopes");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().at("/errors/0/message").asText()).isNotEmpty();

        SendGridHttp admin = new SendGridHttp(emulator.baseUrl(), null);
        assertThat(admin.put("/_emulator/faults", "{\"shares\":{\"error_503\":0,\"rate_limit_429\":1}}").status()).isEqualTo(200);
        SendGridHttp.Response limited = sg.get("/v3/scopes");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("X-RateLimit-Reset"))).isGreaterThanOrEqualTo(System.currentTimeMillis() / 1000);

        assertThat(admin.delete("/_emulator/faults").status()).isEqualTo(200);
        assertThat(sg.get("/v3/scopes").status()).isEqualTo(200);

        SendGridHttp.Response badShare = admin.put("/_emulator/faults", "{\"shares\":{\"error_503\":2}}");
        assertThat(badShare.status()).isEqualTo(400);
        SendGridHttp.Response badJson = admin.put("/_emulator/faults", "{not json");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().at("/errors/0/message").asText()).startsWith("invalid JSON");
    }

    @Test
    void aConnectionResetFaultCutsTheConnectionWithoutAnAnswer() {
        start(new EmulatorConfig().fault("connection_reset=1.0"));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/scopes"))
                .header("Authorization", "Bearer SG.x").timeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> http.send(req, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void aTimeoutFaultAnswersOnlyAfterTheConfiguredDelay() throws Exception {
        EmulatorConfig config = new EmulatorConfig().fault("timeout=1.0");
        config.faultTimeoutDelayMillis = 3_000;
        start(config);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/scopes"))
                .header("Authorization", "Bearer SG.x").timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> http.send(req, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
    }

    @Test
    void statsCountRequestsPerPathTemplate() {
        SendGridHttp sg = start(new EmulatorConfig());
        sg.get("/v3/scopes");
        sg.get("/v3/scopes");
        sg.withKey("bad").get("/v3/user/account");
        SendGridHttp.Response stats = new SendGridHttp(emulator.baseUrl(), null).get("/_emulator/stats");
        assertThat(stats.json().at("/requests").toString())
                .isEqualTo("{\"GET /v3/scopes\":2,\"GET /v3/user/account\":1}");
    }

    @Test
    void stateFileIsWrittenAtStopAndRefusedWhenItIsNotAStateFile() throws Exception {
        Path dir = Files.createTempDirectory("emu-state");
        Path file = dir.resolve("state.json");
        start(new EmulatorConfig().stateFile(file));
        emulator.close();
        emulator = null;
        assertThat(Files.readString(file)).contains("gridsync-emulator-state/1");

        Files.writeString(file, "{\"hello\":1}");
        assertThatThrownBy(() -> Emulator.start(new EmulatorConfig().port(0).stateFile(file)))
                .hasMessageContaining("could not load emulator state");
    }
}
