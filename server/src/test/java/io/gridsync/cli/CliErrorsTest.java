package io.gridsync.cli;

import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer's mistakes through the real entry point ({@link Main#run}): each is one line on
 * stderr naming the thing and what to do, no stack trace, and the exit code docs/cli.md gives.
 */
class CliErrorsTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    /** One line, starting with the command, naming each of {@code mentions}; no trace, no exception class. */
    private static void assertOneLine(Run r, int exit, String... mentions) {
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).matches("gridsync[ :].*").contains(mentions);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContainPattern("[A-Za-z]+(Exception|Error)\\b");
    }

    private Path events() throws Exception {
        Path events = dir.resolve("events.ndjson");
        Files.writeString(events, "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"ada@example.com\"}}\n");
        return events;
    }

    @Test
    void aMissingEventsFileIsNamed() {
        Run r = run(Map.of("SENDGRID_API_KEY", "SG.test"), "deliver", "--events", "missing.ndjson");
        assertOneLine(r, ExitCode.BAD_INPUT, "missing.ndjson", "--events");
    }

    @Test
    void aMissingIntegrationFileIsNamed() throws Exception {
        Run r = run(Map.of("SENDGRID_API_KEY", "SG.test"), "deliver", "--events", events().toString(), "--integration", "nope.json");
        assertOneLine(r, ExitCode.BAD_INPUT, "nope.json", "--integration");
    }

    @Test
    void anEventsFileThatIsNotUtf8IsNamedAsTheInputsProblem() throws Exception {
        Path latin1 = dir.resolve("latin1.ndjson");
        Files.write(latin1, "{\"type\":\"identify\",\"userId\":\"Jos\u00e9\"}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Run r = run(Map.of("SENDGRID_API_KEY", "SG.test"), "deliver", "--events", latin1.toString());
        assertOneLine(r, ExitCode.BAD_INPUT, "latin1.ndjson", "line 1", "not UTF-8");
        assertThat(r.err()).doesNotContain("spill");
    }

    @Test
    void aSpillDirectoryThatCannotBeWrittenIsNamed() throws Exception {
        Run r = run(Map.of("SENDGRID_API_KEY", "SG.test"), "deliver", "--events", events().toString(),
                "--spill-dir", dir.resolve("no/such/dir").toString());
        assertOneLine(r, ExitCode.BAD_INPUT, "no/such/dir", "--spill-dir");
    }

    @Test
    void aDataDirectoryThatIsAFileIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        assertOneLine(run("up", "--data", file.toString()), ExitCode.CANNOT_RUN, file.toString(), "is a file", "--data");
        assertOneLine(run("source", "sync", "--data", file.toString()), ExitCode.CANNOT_RUN, file.toString(), "is a file");
        assertThat(file).hasContent("a file");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsNamed() {
        // /sys refuses even root, so this holds when the tests run as root
        assertOneLine(run("up", "--data", "/sys/x"), ExitCode.CANNOT_RUN, "/sys/x", "cannot create", "--data");
        assertOneLine(run("up", "--data", "/proc/gridsync/x"), ExitCode.CANNOT_RUN, "/proc/gridsync/x", "--data");
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsNamed() throws Exception {
        assertOneLine(run("up", "--data", "/sys/kernel"), ExitCode.CANNOT_RUN, "/sys/kernel", "cannot write", "--data");
        Path csv = Files.writeString(dir.resolve("vip.csv"), "email\nada@example.com\n");
        assertOneLine(run("audience", "sync", "--audience", "vip", "--csv", csv.toString(), "--data", "/sys/kernel"),
                ExitCode.CANNOT_RUN, "/sys/kernel", "cannot write");
    }

    @Test
    void aBusyPortIsNamedWithTheOptionThatChangesIt() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(busy.getLocalPort());
            int other = free.getLocalPort();
            free.close();
            Path data = dir.resolve("data");
            assertOneLine(run("up", "--data", data.toString(), "--port", port, "--emulator-port", Integer.toString(other)),
                    ExitCode.CANNOT_RUN, "port " + port, "--port");
            assertOneLine(run("up", "--data", data.toString(), "--port", Integer.toString(other), "--emulator-port", port),
                    ExitCode.CANNOT_RUN, "port " + port, "--emulator-port");
            assertOneLine(run("emulator", "--port", port), ExitCode.CANNOT_RUN, "port " + port, "--port");
        }
    }

    @Test
    void aBadDurationSaysHowToWriteOne() throws Exception {
        Run r = run(Map.of("SENDGRID_API_KEY", "SG.test"), "deliver", "--events", events().toString(), "--max-wait", "2 minutes");
        assertOneLine(r, ExitCode.BAD_INPUT, "--max-wait", "'2 minutes' is not a duration", "2m");
    }

    @Test
    void durationsAreWrittenAsInSettings() throws Exception {
        try (Emulator emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(5))) {
            Run r = run(Map.of("SENDGRID_API_KEY", "SG.test", "SENDGRID_API_URL", emulator.baseUrl()),
                    "deliver", "--events", events().toString(), "--max-wait", "2m");
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
            assertThat(r.out()).contains("\"delivered\" : 1");
        }
    }

    @Test
    void anUnknownOptionIsNamedEvenWhenARequiredOneIsMissingToo() throws Exception {
        assertOneLine(run("deliver", "--bogus"), ExitCode.BAD_INPUT, "--bogus", "gridsync deliver --help");
        assertOneLine(run("deliver", "--events", events().toString(), "--bogus"), ExitCode.BAD_INPUT, "--bogus");
        assertOneLine(run("nonsense"), ExitCode.BAD_INPUT, "unknown command: nonsense", "gridsync --help");
    }

    @Test
    void aMissingKeyIsBadInput() throws Exception {
        assertOneLine(run("deliver", "--events", events().toString()), ExitCode.BAD_INPUT, "SENDGRID_API_KEY");
    }

    @Test
    void demoRefusesADirectoryItDidNotMakeAndLeavesItUntouched() throws Exception {
        Path hub = Files.createDirectories(dir.resolve("hub-data"));
        Files.writeString(hub.resolve("gridsync.db"), "a hub's state");
        Files.writeString(hub.resolve("master.key"), "the key to every stored API key");
        Run r = run("demo", "--data", hub.toString());
        assertOneLine(r, ExitCode.BAD_INPUT, hub.toString(), "not made by gridsync demo", "--data");
        try (var left = Files.list(hub)) {
            assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("gridsync.db", "master.key");
        }
        assertThat(hub.resolve("master.key")).hasContent("the key to every stored API key");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Run r = run(Map.of("SENDGRID_API_KEY", "SG.test"), "deliver", "--events", dir.toString(), "--verbose");
        assertThat(r.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(r.err().lines().findFirst().orElseThrow()).contains("is a directory");
        assertThat(r.err()).contains("UserError");
    }
}
