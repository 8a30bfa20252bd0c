package io.gridsync.server;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./gridsync up} as a child process (the test's own classpath), so a test can kill it with
 * SIGKILL and start it again on the same data directory.
 */
final class HubProcess implements AutoCloseable {

    private final Path data;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    /** The main class and its arguments. */
    private final List<String> main;
    private Process process;

    HubProcess(Path data, int port, Map<String, String> env) {
        this(data, port, env, List.of("io.gridsync.cli.Main", "up", "--port", Integer.toString(port), "--data", data.toString()));
    }

    private HubProcess(Path data, int port, Map<String, String> env, List<String> main) {
        this.data = data;
        this.port = port;
        this.env = env;
        this.main = main;
        this.log = data.resolveSibling(data.getFileName() + "-hub.log");
    }

    /** A hub whose clock is {@code clockFile}'s ({@link ClockedHub}): the test makes its scheduled work fall due. */
    static HubProcess clocked(Path data, int port, Map<String, String> env, Path clockFile) {
        return new HubProcess(data, port, env, List.of(ClockedHub.class.getName(), data.toString(), Integer.toString(port),
                clockFile.toString()));
    }

    void start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(main);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("hub exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("hub did not answer /healthz within 60 s; see " + log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    File log() {
        return log.toFile();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
