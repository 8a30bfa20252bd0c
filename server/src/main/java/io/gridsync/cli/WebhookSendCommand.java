package io.gridsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./gridsync webhook send FILE}: hands a file of Event Webhook events to the SendGrid
 * emulator, which posts them, signed with its webhook's key, as SendGrid would. Under
 * {@code ./gridsync up} that is the hub's default source, which verifies exactly that key: the
 * events land in the warehouse as SendGrid's would.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Sends the events in FILE (a JSON array, e.g. examples/webhook-events.json) through the SendGrid emulator's "
                + "Event Webhook: signed with its key and posted to every webhook it has, as SendGrid would. Under ./gridsync up "
                + "that is the hub's /v1/webhooks/sendgrid, so the events land in the warehouse.",
                "Each event needs an \"event\" name; timestamp and sg_event_id are filled in when missing.",
                "Exit code 0 every post was accepted (2xx), 3 some were refused (the receiver's status is printed); "
                        + "see docs/cli.md for the others."})
public final class WebhookSendCommand implements Callable<Integer>, UsesStreams {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Parameters(paramLabel = "FILE", description = "A JSON array of Event Webhook events.")
    Path file;

    @Option(names = "--emulator", paramLabel = "URL", defaultValue = "http://127.0.0.1:3030",
            description = "The SendGrid emulator whose Event Webhook posts the events (default: ${DEFAULT-VALUE}, the one up starts).")
    String emulator;

    PrintStream out = System.out;

    @Override
    public void use(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw UserError.badInput("no such file: " + file + "; pass a JSON array of Event Webhook events, e.g. "
                    + "examples/webhook-events.json");
        }
        byte[] body = Files.readAllBytes(file);
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create(emulator.replaceAll("/+$", "") + "/_emulator/webhook/events"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            throw UserError.cannotRun("cannot reach the SendGrid emulator at " + emulator + " (is ./gridsync up running? "
                    + "pass --emulator with its URL)");
        }
        JsonNode answer = MAPPER.readTree(r.body());
        if (r.statusCode() != 200) {
            throw UserError.badInput(file + ": " + answer.at("/errors/0/message").asText(r.body()));
        }
        JsonNode posts = answer.path("posts");
        if (posts.isEmpty()) {
            throw UserError.cannotRun("the emulator has no Event Webhook to post to; start it with --webhook-url "
                    + "(./gridsync up sets its own)");
        }
        boolean allAccepted = true;
        for (JsonNode p : posts) {
            int status = p.path("status_code").asInt(0);
            boolean ok = status >= 200 && status < 300;
            allAccepted &= ok;
            out.println("posted " + p.path("event_count").asInt() + " event(s)" + (p.path("signed").asBoolean() ? ", signed," : "")
                    + " to " + p.path("url").asText() + ": " + (status == 0 ? "no answer (" + p.path("error").asText() + ")" : status)
                    + (ok ? "" : "; the emulator retries it as SendGrid would"));
        }
        return allAccepted ? ExitCode.OK : ExitCode.PARTIAL;
    }
}
