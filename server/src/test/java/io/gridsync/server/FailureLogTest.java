package io.gridsync.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.testing.HubCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the on-call engineer reads when SendGrid refuses the hub's key: the credentials test's
 * refusal at start, then one WARN line a minute per integration, action and status (not one per
 * job), naming the integration, how many jobs wait, and what to do.
 */
class FailureLogTest {

    @TempDir
    Path dir;
    private Emulator emulator;
    private Hub hub;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() {
        // the emulator knows one key only; the hub is given another
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10)
                .apiKey("SG.the-real-one", Set.of("marketing.read", "marketing.write", "mail.send")));
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (hub != null) {
            hub.close();
        }
        emulator.close();
    }

    @Test
    void aRefusedKeyIsSaidAtStartAndSummarisedOnceAMinute() throws Exception {
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS));
        HubCalls.installSendGrid(hub.baseUrl(), hub.adminToken(), "Marketing", "SG.a-revoked-key", emulator.baseUrl());
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = HubCalls.collect(hub.baseUrl(), hub.writeKey(), "/v1/identify",
                    "{\"userId\":\"u" + i + "\",\"traits\":{\"email\":\"u" + i + "@example.com\"}}");
            assertThat(r.statusCode()).isEqualTo(200);
        }
        awaitUntil(() -> !refusals().isEmpty());
        Thread.sleep(3_000); // the jobs are retried meanwhile (backoff from 1 s): their refusals are counted, not logged
        List<ILoggingEvent> refused = refusals();
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(refused.get(0).getFormattedMessage())
                .startsWith("SendGrid refused the API key (401) for integration Marketing: ")
                .contains("dead-lettered in the last minute").contains("waiting").contains("PATCH /v1/admin/integrations/")
                .contains("POST /v1/admin/dead-letters/replay");
        assertThat(refused.get(0).getThrowableProxy()).isNull();

        // after a restart the key is checked before anything is delivered, and the refusal said plainly
        hub.close();
        hub = null;
        logs.list.clear();
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS));
        awaitUntil(() -> logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("the credentials test failed")));
        ILoggingEvent atStart = logs.list.stream().filter(e -> e.getFormattedMessage().contains("the credentials test failed"))
                .findFirst().orElseThrow();
        assertThat(atStart.getLevel()).isEqualTo(Level.ERROR);
        assertThat(atStart.getFormattedMessage()).startsWith("integration Marketing: the credentials test failed: invalid credentials");
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("SG.a-revoked-key"));
    }

    private List<ILoggingEvent> refusals() {
        return logs.list.stream().filter(e -> e.getFormattedMessage().startsWith("SendGrid refused the API key")).toList();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitUntil(Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
