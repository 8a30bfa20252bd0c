package io.gridsync.server;

import io.gridsync.server.testing.HubCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQLite stays single-node: a second hub on a data directory another hub runs on refuses to
 * start, in one line naming the process that holds it; once that process is gone (even killed),
 * the directory is free again.
 */
class DataDirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHubOnTheSameDataDirectoryRefusesNamingTheFirst() throws Exception {
        Path data = dir.resolve("data");
        Map<String, String> env = new HashMap<>(HubCalls.LOCAL_ENDPOINTS);
        env.putAll(Map.of("SENDGRID_API_KEY", "SG.lock-test", "SENDGRID_API_URL", "http://127.0.0.1:9", "GRIDSYNC_ADMIN_TOKEN", "t"));
        try (HubProcess first = new HubProcess(data, freePort(), env)) {
            first.start();

            // in this process
            assertThatThrownBy(() -> Hub.start(HubConfig.defaults(data, 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another hub (PID " + first.pid() + ") is running on data directory " + data)
                    .hasMessageNotContaining("\n");

            // and as a user runs it: ./gridsync up twice
            HubProcess second = new HubProcess(data, freePort(), env);
            assertThatThrownBy(second::start).hasMessageContaining("hub exited");
            String said = Files.readString(second.log().toPath());
            assertThat(said).contains("another hub (PID " + first.pid() + ")");

            // a killed hub leaves no stale lock behind
            first.kill();
            try (Hub again = Hub.start(HubConfig.defaults(data, 0).withEnvironment(env))) {
                assertThat(again.port()).isPositive();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
