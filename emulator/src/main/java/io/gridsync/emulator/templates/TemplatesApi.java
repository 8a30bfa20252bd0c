package io.gridsync.emulator.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.http.MarketingJson;
import io.gridsync.emulator.paging.Page;
import io.gridsync.emulator.paging.PageRequest;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code /v3/templates}: create legacy or dynamic templates, page through them by generation, get,
 * rename and delete one, add versions, get a version and activate one.
 */
public final class TemplatesApi {

    private static final String PATH = "/v3/templates";
    static final int MAX_PAGE_SIZE = 200;
    private static final int MAX_NAME_LENGTH = 100;
    private static final int MAX_SUBJECT_LENGTH = 255;
    private static final int MAX_CONTENT_BYTES = 1_048_576;
    /** SendGrid writes template times as {@code 2021-04-28 13:12:46}, in UTC. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final TemplateStore templates;

    public TemplatesApi(TemplateStore templates) {
        this.templates = templates;
    }

    public void register(ApiRouter router) {
        router.post(PATH, "templates.create", this::create);
        router.get(PATH, "templates.read", this::page);
        router.get(PATH + "/{template_id}", "templates.read", this::get);
        router.patch(PATH + "/{template_id}", "templates.update", this::rename);
        router.delete(PATH + "/{template_id}", "templates.delete", this::delete);
        router.post(PATH + "/{template_id}/versions", "templates.versions.create", this::createVersion);
        router.get(PATH + "/{template_id}/versions/{version_id}", "templates.versions.read", this::getVersion);
        // SendGrid's own scope for this is templates.versions.activate.create; the emulator's keys know the create scope
        router.post(PATH + "/{template_id}/versions/{version_id}/activate", "templates.versions.activate.create", this::activate);
    }

    private void create(Context ctx) {
        ObjectNode body = MarketingJson.bodyObject(ctx);
        String name = name(body);
        String generation = Template.LEGACY;
        JsonNode g = body.get("generation");
        if (g != null && !g.isNull()) {
            if (!g.isTextual() || !(g.asText().equals(Template.LEGACY) || g.asText().equals(Template.DYNAMIC))) {
                throw ApiError.badRequest("generation", "generation must be \"legacy\" or \"dynamic\", got " + g);
            }
            generation = g.asText();
        }
        Json.write(ctx, 201, template(templates.create(name, generation), true));
    }

    private void page(Context ctx) {
        Set<String> generations = generations(ctx.queryParam("generations"));
        Page<Template> page = templates.page(generations, PageRequest.parse(ctx, MAX_PAGE_SIZE, MAX_PAGE_SIZE, true));
        ObjectNode body = Json.object();
        ArrayNode result = body.putArray("result");
        page.items().forEach(t -> result.add(template(t, false)));
        body.set("_metadata", page.metadata(ctx));
        Json.write(ctx, 200, body);
    }

    /** SendGrid lists only legacy templates unless asked for dynamic ones. */
    private static Set<String> generations(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Set.of(Template.LEGACY);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String g : raw.split(",")) {
            String t = g.trim();
            if (!t.equals(Template.LEGACY) && !t.equals(Template.DYNAMIC)) {
                throw ApiError.badRequest("generations", "generations must be legacy, dynamic or legacy,dynamic; got '" + raw + "'");
            }
            out.add(t);
        }
        return out;
    }

    private void get(Context ctx) {
        Json.write(ctx, 200, template(find(ctx), true));
    }

    private void rename(Context ctx) {
        String id = ctx.pathParam("template_id");
        ObjectNode body = MarketingJson.bodyObject(ctx);
        find(ctx);
        Template t = templates.rename(id, name(body)).orElseThrow(() -> templateNotFound(id));
        Json.write(ctx, 200, template(t, true));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("template_id");
        if (!templates.delete(id)) {
            throw templateNotFound(id);
        }
        ctx.status(204);
    }

    private void createVersion(Context ctx) {
        String id = ctx.pathParam("template_id");
        ObjectNode body = MarketingJson.bodyObject(ctx);
        find(ctx);
        ApiError.Collector errors = new ApiError.Collector();
        String name = text(body, "name", true, MAX_NAME_LENGTH, errors);
        String subject = text(body, "subject", true, MAX_SUBJECT_LENGTH, errors);
        String html = bytesCapped(body, "html_content", errors);
        String plain = bytesCapped(body, "plain_content", errors);
        boolean generatePlain = flag(body, "generate_plain_content", true, errors);
        String editor = "code";
        JsonNode e = body.get("editor");
        if (e != null && !e.isNull()) {
            if (e.isTextual() && (e.asText().equals("code") || e.asText().equals("design"))) {
                editor = e.asText();
            } else {
                errors.add("editor", "editor must be \"code\" or \"design\"");
            }
        }
        boolean active = false;
        JsonNode a = body.get("active");
        if (a != null && !a.isNull()) {
            if (a.isIntegralNumber() && (a.asInt() == 0 || a.asInt() == 1)) {
                active = a.asInt() == 1;
            } else {
                errors.add("active", "active must be 0 or 1");
            }
        }
        String testData = text(body, "test_data", false, Integer.MAX_VALUE, errors);
        errors.throwIfAny(400);

        if (generatePlain || plain == null) {
            // SendGrid derives the text part from the HTML unless told not to
            plain = generatePlain ? PlainText.fromHtml(html == null ? "" : html) : "";
        }
        TemplateVersion v = templates.addVersion(id, name, subject, html == null ? "" : html, plain, generatePlain,
                editor, testData, active).orElseThrow(() -> templateNotFound(id));
        Json.write(ctx, 201, version(v, true));
    }

    private void getVersion(Context ctx) {
        String id = ctx.pathParam("template_id");
        String versionId = ctx.pathParam("version_id");
        find(ctx);
        TemplateVersion v = templates.version(id, versionId).orElseThrow(() -> versionNotFound(id, versionId));
        Json.write(ctx, 200, version(v, true));
    }

    private void activate(Context ctx) {
        String id = ctx.pathParam("template_id");
        String versionId = ctx.pathParam("version_id");
        find(ctx);
        TemplateVersion v = templates.activate(id, versionId).orElseThrow(() -> versionNotFound(id, versionId));
        Json.write(ctx, 200, version(v, true));
    }

    private Template find(Context ctx) {
        String id = ctx.pathParam("template_id");
        return templates.byId(id).orElseThrow(() -> templateNotFound(id));
    }

    private static ApiError templateNotFound(String id) {
        return ApiError.of(404, "template_id", "template '" + id + "' not found; GET " + PATH
                + "?generations=legacy,dynamic&page_size=200 lists the account's templates");
    }

    private static ApiError versionNotFound(String templateId, String versionId) {
        return ApiError.of(404, "version_id", "template '" + templateId + "' has no version '" + versionId
                + "'; GET " + PATH + "/" + templateId + " lists its versions");
    }

    private static String name(JsonNode body) {
        ApiError.Collector errors = new ApiError.Collector();
        String name = text(body, "name", true, MAX_NAME_LENGTH, errors);
        errors.throwIfAny(400);
        return name;
    }

    private static String text(JsonNode body, String field, boolean required, int maxLength, ApiError.Collector errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(field, field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            errors.add(field, field + " must be a string");
            return null;
        }
        String s = v.asText();
        if (required && field.equals("name") && s.isEmpty()) {
            errors.add(field, "name must not be empty");
        }
        if (s.length() > maxLength) {
            errors.add(field, field + " is " + s.length() + " characters long; the most allowed is " + maxLength);
        }
        return s;
    }

    private static String bytesCapped(JsonNode body, String field, ApiError.Collector errors) {
        String s = text(body, field, false, Integer.MAX_VALUE, errors);
        if (s != null && s.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_BYTES) {
            errors.add(field, field + " is larger than " + MAX_CONTENT_BYTES + " bytes, the most SendGrid stores");
        }
        return s;
    }

    private static boolean flag(JsonNode body, String field, boolean defaultValue, ApiError.Collector errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            errors.add(field, field + " must be true or false");
            return defaultValue;
        }
        return v.asBoolean();
    }

    private static String time(Instant t) {
        return TIME.format(t);
    }

    /** A template with its versions; {@code withContent} adds each version's HTML and text. */
    private static ObjectNode template(Template t, boolean withContent) {
        ObjectNode o = Json.object();
        o.put("id", t.id());
        o.put("name", t.name());
        o.put("generation", t.generation());
        o.put("updated_at", time(t.updatedAt()));
        ArrayNode versions = o.putArray("versions");
        t.versions().forEach(v -> versions.add(version(v, withContent)));
        return o;
    }

    private static ObjectNode version(TemplateVersion v, boolean withContent) {
        ObjectNode o = Json.object();
        o.put("id", v.id());
        o.put("template_id", v.templateId());
        o.put("active", v.active() ? 1 : 0);
        o.put("name", v.name());
        if (withContent) {
            o.put("html_content", v.htmlContent());
            o.put("plain_content", v.plainContent());
        }
        o.put("generate_plain_content", v.generatePlainContent());
        o.put("subject", v.subject());
        o.put("editor", v.editor());
        if (withContent && v.testData() != null) {
            o.put("test_data", v.testData());
        }
        o.put("updated_at", time(v.updatedAt()));
        return o;
    }
}
