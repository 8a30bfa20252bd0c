package io.gridsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.integration.Subscription;
import io.gridsync.server.HubConfig;
import io.gridsync.server.integrations.StoredIntegration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./gridsync demo}: starts gridsync as {@code up} does, against the built-in emulator, sends
 * a realistic stream through the collection API (identifies, audience entries and exits, page
 * views, orders, a templated email, a visitor without marketing consent), and prints what happened
 * in SendGrid.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Sends a realistic stream of events through gridsync into the built-in emulator and reports what SendGrid holds.",
                "Starts the hub and the emulator in a fresh data directory, as up does, and stops them afterwards."})
public final class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper M = new ObjectMapper();

    @Option(names = "--port", defaultValue = "8080", description = "Port of the hub (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--emulator-port", defaultValue = "3030", description = "Port of the emulator (default: ${DEFAULT-VALUE}).")
    int emulatorPort;

    @Option(names = "--data", defaultValue = "./gridsync-demo-data",
            description = "Data directory, emptied first (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--keep-running", description = "Stay up afterwards, so you can look around (Ctrl-C stops).")
    boolean keepRunning;

    PrintStream out = System.out;
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(data) && !Files.exists(data.resolve("gridsync.db")) && Files.list(data).findAny().isPresent()) {
            System.err.println("gridsync demo: " + data + " is not empty and holds no gridsync data; not emptying it. "
                    + "Pass --data with a new directory.");
            return 1;
        }
        wipe(data);
        UpCommand up = new UpCommand();
        up.port = port;
        up.emulatorPort = emulatorPort;
        up.data = data;
        up.env = Map.of(); // the demo always runs against the built-in emulator
        up.out = new PrintStream(PrintStream.nullOutputStream());
        io.gridsync.server.security.PrivateFiles.createDirectory(data);
        UpCommand.Running running = up.start(HubConfig.defaults(data, port));
        if (running == null) {
            return 1;
        }
        try {
            String emulator = running.emulator().baseUrl();
            String hub = running.hub().baseUrl();
            out.println("gridsync demo: hub at " + hub + ", SendGrid emulator at " + emulator);
            String template = emulatorCall("POST", emulator + "/v3/templates", "{\"name\":\"Welcome\",\"generation\":\"dynamic\"}")
                    .path("id").asText();
            StoredIntegration integration = running.hub().integrations().findByName(UpCommand.INTEGRATION).orElseThrow();
            ObjectNode mapping = M.createObjectNode().put("template_id", template);
            mapping.putObject("from").put("email", "hello@shop.example").put("name", "The Shop");
            mapping.putObject("dynamic_template_data").putObject("first_name").put("@path", "$.properties.first_name");
            running.hub().integrations().addSubscription(integration.id(), new Subscription("Welcome email",
                    "type = \"track\" and event = \"Signed Up\"", "send_email", mapping, true));

            out.println("sending events through " + hub + "/v1/batch ...");
            send(hub, running.hub().writeKey(), stream());
            awaitDelivered(hub, running.hub().adminToken());
            report(emulator, hub, running.hub().adminToken());
            if (keepRunning) {
                out.println();
                out.println("Still running; write key " + running.hub().writeKey() + ", admin token " + running.hub().adminToken()
                        + ". Ctrl-C stops.");
                EmulatorCommand.awaitShutdown(running::close);
                return 0;
            }
        } finally {
            if (!keepRunning) {
                running.close();
            }
        }
        return 0;
    }

    /** The demo's events, in the order a real site would send them. */
    static String stream() {
        StringBuilder b = new StringBuilder("{\"batch\":[");
        String[][] people = {{"ada", "Ada", "Lovelace", "London"}, {"grace", "Grace", "Hopper", "New York"},
                {"alan", "Alan", "Turing", "Manchester"}, {"katherine", "Katherine", "Johnson", "Hampton"},
                {"linus", "Linus", "Torvalds", "Portland"}};
        int n = 0;
        for (String[] p : people) {
            n = add(b, n, "{\"type\":\"identify\",\"userId\":\"" + p[0] + "\",\"traits\":{\"email\":\"" + cap(p[0])
                    + "@Example.com\",\"first_name\":\"" + p[1] + "\",\"last_name\":\"" + p[2] + "\",\"address\":{\"city\":\""
                    + p[3] + "\"}}}");
        }
        for (String who : new String[]{"ada", "grace", "alan"}) {
            n = add(b, n, audience(who, true));
        }
        n = add(b, n, "{\"type\":\"page\",\"userId\":\"ada\",\"name\":\"Shoes\",\"properties\":{\"url\":\"https://shop.example/shoes\"}}");
        n = add(b, n, "{\"type\":\"page\",\"userId\":\"grace\",\"properties\":{\"url\":\"https://shop.example/compilers\"}}");
        n = add(b, n, "{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"ada\",\"properties\":{\"product_id\":\"sku-42\"}}");
        n = add(b, n, "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"ada\",\"properties\":{\"order_id\":\"o-1\",\"revenue\":49.90}}");
        n = add(b, n, "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"ada\",\"properties\":{\"order_id\":\"o-2\",\"revenue\":15.00}}");
        n = add(b, n, audience("alan", false));
        n = add(b, n, "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"katherine\",\"properties\":{\"email\":"
                + "\"katherine@example.com\",\"name\":\"Katherine Johnson\",\"first_name\":\"Katherine\"}}");
        n = add(b, n, "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"linus\",\"properties\":{\"email\":"
                + "\"linus@example.com\",\"name\":\"Linus Torvalds\",\"first_name\":\"Linus\"}}");
        add(b, n, "{\"type\":\"identify\",\"userId\":\"private\",\"traits\":{\"email\":\"private@example.com\"},"
                + "\"context\":{\"consent\":{\"categoryPreferences\":{\"marketing\":false}}}}");
        return b.append("]}").toString();
    }

    private static String audience(String who, boolean member) {
        return "{\"type\":\"identify\",\"userId\":\"" + who + "\",\"traits\":{\"email\":\"" + who + "@example.com\",\"vip_customers\":"
                + member + "},\"context\":{\"personas\":{\"computation_class\":\"audience\",\"computation_key\":\"vip_customers\","
                + "\"audience_settings\":{\"listName\":\"VIP customers\"}}}}";
    }

    private static int add(StringBuilder b, int n, String message) {
        if (n > 0) {
            b.append(',');
        }
        b.append(message);
        return n + 1;
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void send(String hub, String writeKey, String batch) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub + "/v1/batch"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the hub refused the demo batch: " + r.statusCode() + " " + r.body());
        }
    }

    private void awaitDelivered(String hub, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode events = adminGet(hub + "/v1/admin/events?limit=100", token).path("events");
            boolean pending = events.findValuesAsText("state").stream().anyMatch("pending"::equals);
            boolean routed = !events.isEmpty();
            for (JsonNode e : events) {
                routed &= !e.path("deliveries").isEmpty(); // every demo message matches a subscription
            }
            if (routed && !pending) {
                return;
            }
            Thread.sleep(200);
        }
        out.println("(some deliveries are still pending; the report shows what arrived so far)");
    }

    private void report(String emulator, String hub, String token) throws Exception {
        out.println();
        out.println("What happened in SendGrid (the built-in emulator):");
        out.println("  contacts: " + emulatorGet(emulator + "/v3/marketing/contacts/count").path("contact_count").asLong());
        for (JsonNode l : emulatorGet(emulator + "/v3/marketing/lists").path("result")) {
            out.println("  list '" + l.path("name").asText() + "': " + emulatorGet(emulator + "/v3/marketing/lists/" + l.path("id").asText()
                    + "/contacts/count").path("contact_count").asLong() + " members (Alan entered and left)");
        }
        JsonNode ada = emulatorCall("POST", emulator + "/v3/marketing/contacts/search/emails", "{\"emails\":[\"ada@example.com\"]}")
                .path("result").path("ada@example.com").path("contact");
        out.println("  ada@example.com: " + ada.path("first_name").asText() + " " + ada.path("last_name").asText() + ", "
                + ada.path("city").asText() + "; custom fields " + ada.path("custom_fields"));
        JsonNode mail = emulatorGet(emulator + "/_emulator/mail?limit=10");
        JsonNode messages = mail.has("messages") ? mail.get("messages") : mail;
        int personalizations = messages.findValues("personalizations").stream().mapToInt(JsonNode::size).sum();
        out.println("  mail send requests: " + messages.size() + ", with " + personalizations + " personalizations (to "
                + String.join(", ", messages.findValuesAsText("email").stream()
                .filter(e -> !e.equals("hello@shop.example")).distinct().toList()) + "); see " + emulator + "/_emulator/mail");
        out.println("  requests to SendGrid:");
        emulatorGet(emulator + "/_emulator/stats").path("requests").fields().forEachRemaining(e ->
                out.println("    " + e.getKey() + ": " + e.getValue().asLong()));
        Map<String, Integer> outcomes = new TreeMap<>();
        for (JsonNode e : adminGet(hub + "/v1/admin/events?limit=100", token).path("events")) {
            for (JsonNode d : e.path("deliveries")) {
                outcomes.merge(d.path("action").asText() + " " + d.path("state").asText(), 1, Integer::sum);
            }
        }
        out.println("  deliveries (GET /v1/admin/events):");
        outcomes.forEach((k, v) -> out.println("    " + k + ": " + v));
    }

    private JsonNode emulatorGet(String url) throws Exception {
        return emulatorCall("GET", url, null);
    }

    private JsonNode emulatorCall(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + UpCommand.EMULATOR_KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return M.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonNode adminGet(String url, String token) throws Exception {
        return M.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
