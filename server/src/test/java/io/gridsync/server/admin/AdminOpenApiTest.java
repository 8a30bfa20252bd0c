package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** /v1/admin/openapi.json names exactly the admin and audience routes the hub registers, each with a summary. */
class AdminOpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    @TempDir
    Path dir;

    @Test
    void theDescriptionMatchesTheRegisteredRoutes() throws Exception {
        try (Hub hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/openapi.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            HttpResponse<String> served = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/openapi.json"))
                    .header("Authorization", "Bearer " + hub.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(200);
            JsonNode doc = new ObjectMapper().readTree(served.body());
            assertThat(doc.path("openapi").asText()).startsWith("3.");

            Set<String> documented = new TreeSet<>();
            doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
                if (METHODS.contains(op.getKey())) {
                    documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey());
                    assertThat(op.getValue().path("summary").asText()).as(op.getKey() + " " + p.getKey() + " summary").isNotBlank();
                    assertThat(op.getValue().path("tags")).as(op.getKey() + " " + p.getKey() + " tags").isNotEmpty();
                }
            }));
            Set<String> registered = new TreeSet<>();
            for (String r : hub.routes()) {
                String method = r.substring(0, r.indexOf(' '));
                String path = r.substring(r.indexOf(' ') + 1);
                if (METHODS.contains(method.toLowerCase(Locale.ROOT)) && (path.startsWith("/v1/admin") || path.startsWith("/v1/audiences"))) {
                    registered.add(method + " " + path);
                }
            }
            assertThat(registered).hasSizeGreaterThan(40);
            assertThat(documented).as("documented but not registered").isSubsetOf(registered);
            assertThat(registered).as("registered but not in openapi/admin.yaml").isSubsetOf(documented);
        }
    }
}
