package io.gridsync.emulator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw HTTP client for emulator tests that checks every /v3 exchange against SendGrid's OpenAPI
 * files: the request body against the operation's request schema, the response body against the
 * schema of its status. Violations are collected; tests end with {@link #assertConforms()}.
 */
public final class SendGridHttp {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One response: status, parsed JSON body (null when empty or not JSON), raw text and headers. */
    public record Response(int status, JsonNode json, String text, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> violations = new ArrayList<>();

    public SendGridHttp(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public SendGridHttp withKey(String key) {
        return new SendGridHttp(baseUrl, key);
    }

    public Response get(String path) {
        return call("GET", path, (String) null);
    }

    public Response delete(String path) {
        return call("DELETE", path, (String) null);
    }

    public Response post(String path, Object body) {
        return call("POST", path, body);
    }

    public Response put(String path, Object body) {
        return call("PUT", path, body);
    }

    public Response patch(String path, Object body) {
        return call("PATCH", path, body);
    }

    /** Sends {@code body} (a JsonNode, a String of raw JSON, or any object Jackson can write). */
    public Response call(String method, String path, Object body) {
        try {
            String raw = body == null ? null : body instanceof String s ? s : MAPPER.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
            if (apiKey != null) {
                b.header("Authorization", "Bearer " + apiKey);
            }
            if (raw != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, raw == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(raw));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = parse(r.body());
            check(method, path, raw, r.statusCode(), json);
            return new Response(r.statusCode(), json, r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void check(String method, String path, String rawRequest, int status, JsonNode responseJson) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (!bare.startsWith("/v3/")) {
            return;
        }
        OpenApiSpecs specs = OpenApiSpecs.get();
        OpenApiSpecs.Operation op = specs.find(method, bare);
        if (op == null) {
            return; // endpoints the spec files do not cover (legacy webhook settings) are checked by their own tests
        }
        JsonNode requestJson = parse(rawRequest);
        if (requestJson != null && status < 300) {
            violations.addAll(specs.validateRequest(op, requestJson));
        }
        violations.addAll(specs.validateResponse(op, status, responseJson));
    }

    private static JsonNode parse(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Fails with every schema violation seen so far that is not a known departure. */
    public void assertConforms() {
        List<String> unexpected = violations.stream().filter(v -> !SpecDepartures.isKnown(v)).toList();
        if (!unexpected.isEmpty()) {
            throw new AssertionError("responses or requests that do not match SendGrid's OpenAPI files "
                    + "(and are no known departure, see SpecDepartures):\n  " + String.join("\n  ", unexpected));
        }
    }
}
