package io.gridsync.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

/** The calls tests make on a running hub the way a user would: over HTTP, with its tokens. */
public final class HubCalls {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /**
     * The setting tests start hubs with: the emulator and test listeners run on random loopback ports, so
     * any loopback port is an allowed endpoint (docs/security.md; a real hub allows SendGrid's own hosts only).
     */
    public static final java.util.Map<String, String> LOCAL_ENDPOINTS = java.util.Map.of("GRIDSYNC_ALLOWED_ENDPOINTS", "http://127.0.0.1:*");

    private HubCalls() {}

    /** Installs a SendGrid integration named {@code name} against {@code endpoint}; fails unless the hub answers 201. */
    public static void installSendGrid(String hubUrl, String adminToken, String name, String apiKey, String endpoint) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(hubUrl + "/v1/admin/integration-catalog/sendgrid/install"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name":"%s","variant":"sendgrid","delivery_mode":"server_side",
                         "config":{"api_key":"%s","endpoint":"%s"}}""".formatted(name, apiKey, endpoint))).build());
        if (r.statusCode() != 201) {
            throw new AssertionError("installing the integration answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** POSTs a JSON body to a collection route with the write key as Basic auth; returns the answer. */
    public static HttpResponse<String> collect(String hubUrl, String writeKey, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(hubUrl + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static HttpResponse<String> send(HttpRequest r) {
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(r.uri() + ": " + e, e);
        }
    }
}
