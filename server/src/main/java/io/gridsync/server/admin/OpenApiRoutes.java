package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /v1/admin/openapi.json}: the OpenAPI description of the admin and audience APIs,
 * written by hand in {@code openapi/admin.yaml} (a test checks it names exactly the routes the hub
 * registers) and served as JSON for tools and the console's API reference page.
 */
public final class OpenApiRoutes {

    static final String RESOURCE = "openapi/admin.yaml";
    private final byte[] json;

    OpenApiRoutes() {
        try {
            this.json = AdminJson.MAPPER.writeValueAsBytes(document());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The description as a tree. */
    public static JsonNode document() {
        try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(Javalin app) {
        app.get("/v1/admin/openapi.json", ctx -> ctx.contentType("application/json").result(json));
    }
}
