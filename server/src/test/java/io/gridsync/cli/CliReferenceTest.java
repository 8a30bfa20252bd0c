package io.gridsync.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** docs/cli.md is the commands' own --help; a change to an option without regenerating it fails here. */
class CliReferenceTest {

    /** Tests run in server/; the docs are beside it. */
    private static final Path DOC = Path.of("..", "docs", "cli.md");

    @Test
    void docsCliMdIsWhatTheCommandsSay() throws Exception {
        String rendered = CliReference.render();
        String written = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
        if (!written.equals(rendered)) {
            Path fresh = Path.of("target", "cli.md");
            Files.writeString(fresh, rendered, StandardCharsets.UTF_8);
            fail("docs/cli.md differs from the commands' --help. Regenerate it: cp server/target/cli.md docs/cli.md "
                    + "(written just now by this test), review the diff, and commit it.");
        }
    }

    @Test
    void everyCommandIsInIt() {
        assertThat(CliReference.render()).contains("## `gridsync up`", "## `gridsync demo`", "## `gridsync emulator`",
                "## `gridsync deliver`", "## `gridsync audience sync`", "## `gridsync source sync`", "| 2 |", "--verbose");
    }
}
