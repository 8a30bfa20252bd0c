package io.gridsync.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Cohort syncs with the membership in SQLite in the data directory (the default). */
class CohortSyncSqliteTest extends CohortSyncContract {

    @Override
    Map<String, String> stateEnv() {
        return Map.of();
    }

    /** A plan is a look, not a change: on a data directory with no state yet, nothing is created. */
    @Test
    void aDryRunOnANewDataDirectoryLeavesNothingBehind() throws Exception {
        Path cohort = Files.writeString(dir.resolve("dry.csv"), "email\nada@x.io\nbob@x.io\n");
        Run r = sync("--audience", "dry", "--csv", cohort.toString(), "--dry-run");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertCounts(r.report(), 2, 0, 0, 0, 0);
        assertThat(dir.resolve("data")).doesNotExist(); // no database, no master key, not the directory either
        assertThat(sg.listId("dry")).isNull();
    }

    /** A refused key is one line saying so, not a report of a list with no name. */
    @Test
    void aRefusedKeyIsOneLineWithoutAnEmptyReport() throws Exception {
        Path cohort = Files.writeString(dir.resolve("k.csv"), "email\nada@x.io\n");
        AudienceSyncCommand cmd = new AudienceSyncCommand();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        cmd.env = Map.of("SENDGRID_API_KEY", "not-a-sendgrid-key", "SENDGRID_API_URL", emulator.baseUrl());
        cmd.out = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        cmd.err = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        int exit = new picocli.CommandLine(cmd).execute("--audience", "k", "--csv", cohort.toString(),
                "--data", dir.resolve("data").toString());
        assertThat(exit).isEqualTo(ExitCode.CANNOT_RUN);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("list ''");
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("gridsync audience sync:")).toList()).hasSize(1);
    }
}
