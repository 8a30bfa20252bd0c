package io.gridsync.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./gridsync demo} end to end: the stream goes through the hub and the report says what SendGrid holds. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theDemoDeliversItsStreamAndReportsIt() throws Exception {
        DemoCommand demo = new DemoCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        demo.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(demo).execute("--data", dir.resolve("demo").toString(),
                "--port", Integer.toString(freePort()), "--emulator-port", Integer.toString(freePort()));
        String report = out.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(report).isZero();
        assertThat(report).contains("contacts: 5")
                .contains("list 'VIP customers': 2 members")
                .contains("\"lifetime_value\":64.9")
                .contains("mail send requests: 1, with 2 personalizations")
                .contains("upsert_contact blocked: 1")
                .doesNotContain("pending");

        // the directory is the demo's own now (it made it), so a second run empties it and runs again
        out.reset();
        assertThat(new CommandLine(demo).execute("--data", dir.resolve("demo").toString())).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("contacts: 5");
        // its mark is private like everything else in a data directory (a looser one drew a WARN at every run)
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("demo").resolve(DemoDirectory.MARK)))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aDirectoryThatHoldsSomethingElseIsNotEmptied() throws Exception {
        Path precious = dir.resolve("precious");
        Files.createDirectories(precious);
        Files.writeString(precious.resolve("thesis.tex"), "do not delete");
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        int exit = Main.run(new String[]{"demo", "--data", precious.toString()}, none, none, java.util.Map.of());
        assertThat(exit).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(precious.resolve("thesis.tex")).hasContent("do not delete");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
