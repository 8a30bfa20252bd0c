package io.gridsync.cli;

import io.gridsync.server.HubConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./gridsync up} prints a secret only on the start that created it, and the emulator it starts is an allowed endpoint. */
class UpBannerTest {

    @TempDir
    Path dir;

    private String up(Map<String, String> env, String[] secrets) throws Exception {
        UpCommand up = new UpCommand();
        up.data = dir.resolve("data");
        up.port = 0;
        up.emulatorPort = 0;
        up.env = env;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        up.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        UpCommand.Running running = up.start(HubConfig.defaults(up.data, 0).withEnvironment(env));
        assertThat(running).isNotNull();
        try {
            secrets[0] = running.hub().adminToken();
            secrets[1] = running.hub().writeKey();
        } finally {
            running.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theTokenAndWriteKeyArePrintedOnlyWhenThisStartCreatedThem() throws Exception {
        String[] first = new String[2];
        String banner = up(Map.of(), first);
        assertThat(banner).contains(first[0]).contains(first[1]);

        String[] second = new String[2];
        String again = up(Map.of(), second);
        assertThat(second).containsExactly(first);
        assertThat(again).doesNotContain(first[0]).doesNotContain(first[1]).contains("admin-token/rotate");

        // everything up and its emulator left in the data directory is the owner's alone
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(dir.resolve("data"))) {
            for (Path p : all.toList()) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p))).as(p.toString())
                        .isEqualTo(java.nio.file.Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
        assertThat(dir.resolve("data/emulator-state.json")).exists();
    }

    @Test
    void aTokenFromTheEnvironmentIsNeverPrinted() throws Exception {
        String[] s = new String[2];
        String banner = up(Map.of("GRIDSYNC_ADMIN_TOKEN", "env-token-0123456789abcdef", "GRIDSYNC_WRITE_KEY", "gs_wk_from-the-environment-1234"), s);
        assertThat(banner).doesNotContain("env-token-0123456789abcdef").doesNotContain("gs_wk_from-the-environment-1234")
                .contains("GRIDSYNC_ADMIN_TOKEN");
    }
}
