package io.gridsync.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** gridsync.yaml under the environment, as docs/configuration.md says. */
class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void theFileFillsWhatTheEnvironmentLeavesAndTheHubConfigReadsIt() throws Exception {
        Path file = Files.writeString(dir.resolve("gridsync.yaml"), """
                # settings of docs/configuration.md, by name
                GRIDSYNC_DEDUPE_WINDOW: 48h
                GRIDSYNC_HOST: 0.0.0.0
                SENDGRID_API_URL: eu
                GRIDSYNC_WEBHOOK_TOLERANCE:
                """);
        Map<String, String> merged = Settings.resolve(Map.of("GRIDSYNC_CONFIG", file.toString(), "GRIDSYNC_HOST", "127.0.0.1"));
        assertThat(merged).containsEntry("GRIDSYNC_DEDUPE_WINDOW", "48h")
                .containsEntry("GRIDSYNC_HOST", "127.0.0.1") // the environment wins
                .containsEntry("SENDGRID_API_URL", "eu")
                .doesNotContainKey("GRIDSYNC_WEBHOOK_TOLERANCE"); // empty: the default
        HubConfig config = HubConfig.defaults(dir, 0).withEnvironment(merged);
        assertThat(config.dedupeWindow()).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void mistakesAreNamed() throws Exception {
        assertThatThrownBy(() -> Settings.resolve(Map.of("GRIDSYNC_CONFIG", dir.resolve("missing.yaml").toString())))
                .hasMessageContaining("missing.yaml").hasMessageContaining("not a file");
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "GRIDSYNC_DEDUP_WINDOW: 48h\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of("GRIDSYNC_CONFIG", typo.toString())))
                .hasMessageContaining("GRIDSYNC_DEDUP_WINDOW is not a setting").hasMessageContaining("GRIDSYNC_DEDUPE_WINDOW");
        Path early = Files.writeString(dir.resolve("early.yaml"), "GRIDSYNC_JAVA_OPTS: -Xmx1g\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of("GRIDSYNC_CONFIG", early.toString())))
                .hasMessageContaining("set it in the environment");
        Path nested = Files.writeString(dir.resolve("nested.yaml"), "GRIDSYNC_HOST:\n  - a\n  - b\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of("GRIDSYNC_CONFIG", nested.toString())))
                .hasMessageContaining("GRIDSYNC_HOST must be a single value");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "GRIDSYNC_HOST: [unclosed\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of("GRIDSYNC_CONFIG", broken.toString())))
                .hasMessageContaining("not valid YAML");
        Path list = Files.writeString(dir.resolve("list.yaml"), "- GRIDSYNC_HOST\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of("GRIDSYNC_CONFIG", list.toString())))
                .hasMessageContaining("NAME: value");
    }

    @Test
    void everyDocumentedSettingIsKnownAndEveryKnownOneDocumented() throws Exception {
        String docs = Files.readString(Path.of("../docs/configuration.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([A-Z_]+)`").matcher(docs);
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> known = new TreeSet<>(Settings.NAMES);
        known.addAll(Settings.ENVIRONMENT_ONLY);
        assertThat(documented).isEqualTo(known);
    }
}
