package io.gridsync.server.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.collect.WriteKeys;
import io.gridsync.server.cors.AllowedOrigins;
import io.gridsync.server.cors.Cors;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hub as analytics.js's CDN, so Segment's standard snippet works by changing its host: the
 * vendored bundle (resources/analyticsjs, README there) at the snippet's path with the write key
 * embedded as Segment's CDN does, the chunks it loads on demand, and the project settings it
 * fetches first, whose Segment.io integration sends every call to this hub. Settings are refused
 * (403, with the reason) to pages whose origin the write key does not allow, so analytics.js does
 * not start there.
 */
public final class AnalyticsJsCdn {

    /** The vendored @segment/analytics-next; keep in step with resources/analyticsjs/README.md. */
    public static final String VERSION = "1.84.3";
    private static final String RESOURCES = "/analyticsjs/";
    /** The chunks of that version (dist/umd/*.bundle.*.js): served by name, nothing else is. */
    private static final String[] CHUNKS = {
            "407.bundle.61efa1acb302134c434b.js", "ajs-destination.bundle.40628baed746e9904edc.js",
            "auto-track.bundle.f131ce01a05e3a33a8c1.js", "legacyVideos.bundle.c8148be87c48a2b6537a.js",
            "queryString.bundle.34b193ada8fe288d1bd1.js", "remoteMiddleware.bundle.063bbf80c88cda449d9c.js",
            "schemaFilter.bundle.a6a77355d52c20e3a83d.js", "tsub-middleware.bundle.89bf07058b3d3b126984.js"};
    private static final String JS = "application/javascript; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WriteKeys writeKeys;
    /** GRIDSYNC_PUBLIC_URL, or null to take the address from each request. */
    private final String publicUrl;
    private final String standalone;
    private final Map<String, byte[]> chunks = new TreeMap<>();

    public AnalyticsJsCdn(WriteKeys writeKeys, String publicUrl) {
        this.writeKeys = writeKeys;
        this.publicUrl = publicUrl;
        this.standalone = new String(resource("standalone.js"), StandardCharsets.UTF_8);
        if (!standalone.contains("\"__WRITE_KEY__\"")) {
            throw new IllegalStateException("the vendored analytics.js has no __WRITE_KEY__ to embed the write key in");
        }
        for (String c : CHUNKS) {
            chunks.put(c, resource("bundles/" + c));
        }
    }

    public void register(Javalin app) {
        app.get("/analytics.js/v1/{writeKey}/analytics.min.js", this::bundle);
        app.get("/analytics-next/bundles/{file}", this::chunk);
        app.get("/v1/projects/{writeKey}/settings", this::settings);
        app.options("/v1/projects/{writeKey}/settings", ctx -> Cors.preflight(ctx, "GET, OPTIONS"));
    }

    private void bundle(Context ctx) throws IOException {
        String key = ctx.pathParam("writeKey");
        if (!writeKeys.isValid(key)) {
            unknownKey(ctx);
            return;
        }
        // as Segment's CDN does: the key in the file, for pages that load it without the snippet
        String js = standalone.replace("\"__WRITE_KEY__\"", MAPPER.writeValueAsString(key));
        ctx.header("Cache-Control", "public, max-age=300").contentType(JS).result(js);
    }

    private void chunk(Context ctx) {
        byte[] body = chunks.get(ctx.pathParam("file"));
        if (body == null) {
            error(ctx, 404, "no such analytics.js chunk: " + ctx.pathParam("file") + " (the hub serves analytics.js " + VERSION + ")");
            return;
        }
        ctx.header("Cache-Control", "public, max-age=31536000, immutable").contentType(JS).result(body); // named by content hash
    }

    private void settings(Context ctx) {
        Cors.allow(ctx);
        String key = ctx.pathParam("writeKey");
        if (!writeKeys.isValid(key)) {
            unknownKey(ctx);
            return;
        }
        String origin = Cors.origin(ctx);
        AllowedOrigins allowed = writeKeys.allowedOrigins(key);
        if (origin != null && allowed != null && !allowed.allows(origin)) {
            error(ctx, 403, Cors.refusal(origin));
            return;
        }
        String base = publicUrl != null ? publicUrl : ctx.scheme() + "://" + ctx.host();
        int colon = base.indexOf("://");
        ObjectNode s = MAPPER.createObjectNode();
        ObjectNode segment = s.putObject("integrations").putObject("Segment.io");
        segment.put("apiKey", key);
        segment.put("apiHost", base.substring(colon + 3) + "/v1"); // analytics.js posts to protocol://apiHost/t
        segment.put("protocol", base.substring(0, colon));
        segment.putArray("unbundledIntegrations");
        segment.put("addBundledMetadata", true);
        s.putObject("middlewareSettings");
        s.putObject("enabledMiddleware");
        s.putObject("metrics").put("sampleRate", 0); // no error metrics to Segment's servers
        s.put("legacyVideoPluginsEnabled", false);
        s.putArray("remotePlugins");
        s.putObject("edgeFunction");
        ctx.header("Cache-Control", "public, max-age=60").contentType("application/json").result(s.toString());
    }

    private static void unknownKey(Context ctx) {
        error(ctx, 404, "the write key is not known or was revoked; the snippet needs a key from GET /v1/admin/write-keys");
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(MAPPER.createObjectNode().put("error", message).toString());
    }

    private static byte[] resource(String name) {
        try (InputStream in = AnalyticsJsCdn.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("analytics.js resource missing from the jar: " + RESOURCES + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
