package io.gridsync.emulator.contacts.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.contacts.BaseUrl;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Errors;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.lists.ContactList;
import io.gridsync.emulator.lists.ListStore;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST/GET /v3/marketing/contacts/exports}, {@code GET .../exports/{id}}, and the download
 * links they hand out, {@code GET /_emulator/exports/{id}/{n}.csv.gz} (or {@code .json.gz}),
 * which like SendGrid's pre-signed S3 links need no API key.
 */
public final class ExportsApi {

    private static final Pattern FILE = Pattern.compile("([1-9][0-9]{0,8})\\.(csv|json)\\.gz");

    private final ContactExports exports;
    private final ListStore lists;
    private final java.util.function.Supplier<java.util.Map<String, List<String>>> segmentsByList;

    /** @param segmentsByList list id -> the segments made of its members, for the {@code segment_ids} of JSON exports */
    public ExportsApi(ContactExports exports, ListStore lists, java.util.function.Supplier<java.util.Map<String, List<String>>> segmentsByList) {
        this.exports = exports;
        this.lists = lists;
        this.segmentsByList = segmentsByList;
    }

    /** Registers the /v3 routes; call before any {@code /v3/marketing/contacts/{id}} route so "exports" is not taken for an id. */
    public void register(ApiRouter router, Javalin app) {
        router.post("/v3/marketing/contacts/exports", "marketing.write", this::create);
        router.get("/v3/marketing/contacts/exports", "marketing.read", ctx -> {
            String base = BaseUrl.of(ctx);
            ObjectNode body = Json.object();
            ArrayNode result = body.putArray("result");
            exports.all().forEach(e -> result.add(e.listJson(base)));
            body.putObject("_metadata").put("self", base + "/v3/marketing/contacts/exports");
            Json.write(ctx, 200, body);
        });
        router.get("/v3/marketing/contacts/exports/{id}", "marketing.read", ctx -> {
            ContactExport e = exports.get(ctx.pathParam("id"))
                    .orElseThrow(() -> ApiError.notFound("export " + ctx.pathParam("id") + " not found"));
            Json.write(ctx, 200, e.statusJson(BaseUrl.of(ctx)));
        });
        app.get("/_emulator/exports/{id}/{file}", this::download);
    }

    private void create(Context ctx) {
        ObjectNode body;
        try {
            body = ctx.bodyAsBytes().length == 0 ? Json.object() : Json.bodyObject(ctx);
        } catch (ApiError e) {
            throw new ApiError(e.status(), List.of(new ApiError.FieldError("", e.getMessage())));
        }
        ApiError.Collector errors = new ApiError.Collector();
        body.fieldNames().forEachRemaining(name -> {
            if (!List.of("list_ids", "segment_ids", "notifications", "file_type", "max_file_size").contains(name)) {
                errors.add(name, "unknown field " + name + "; an export takes list_ids, segment_ids, notifications, file_type and max_file_size");
            }
        });
        List<ContactList> selected = new ArrayList<>();
        for (String id : strings(body, "list_ids", errors)) {
            Optional<ContactList> l = lists.byId(id);
            if (l.isEmpty()) {
                errors.add("list_ids", "list " + id + " does not exist");
            } else if (!selected.contains(l.get())) {
                selected.add(l.get());
            }
        }
        List<String> segmentIds = strings(body, "segment_ids", errors);
        for (String id : segmentIds) {
            // The emulator's contacts cannot be selected by segment yet; an unknown segment is what SendGrid reports.
            errors.add("segment_ids", "segment " + id + " does not exist");
        }
        ContactExport.FileType type = ContactExport.FileType.csv;
        JsonNode ft = body.get("file_type");
        if (ft != null && !ft.isNull()) {
            if (ft.isTextual() && (ft.asText().equals("csv") || ft.asText().equals("json"))) {
                type = ContactExport.FileType.valueOf(ft.asText());
            } else {
                errors.add("file_type", "file_type must be \"csv\" or \"json\"");
            }
        }
        int maxFileSize = 5000;
        JsonNode mfs = body.get("max_file_size");
        if (mfs != null && !mfs.isNull()) {
            if (mfs.isIntegralNumber() && mfs.canConvertToInt() && mfs.intValue() >= 1) {
                maxFileSize = mfs.intValue();
            } else {
                errors.add("max_file_size", "max_file_size must be a whole number of megabytes, at least 1");
            }
        }
        JsonNode n = body.get("notifications");
        if (n != null && !n.isNull() && (!n.isObject() || (n.has("email") && !n.get("email").isBoolean()))) {
            errors.add("notifications", "notifications must be an object such as {\"email\": true}");
        }
        errors.throwIfAny(400);
        ContactExport e = exports.submit(type, selected, segmentIds, maxFileSize);
        ObjectNode out = Json.object();
        out.put("id", e.id);
        out.putObject("_metadata").put("self", BaseUrl.of(ctx) + "/v3/marketing/contacts/exports/" + e.id);
        Json.write(ctx, 202, out);
    }

    private static List<String> strings(ObjectNode body, String name, ApiError.Collector errors) {
        List<String> out = new ArrayList<>();
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            errors.add(name, name + " must be an array of id strings");
            return out;
        }
        for (JsonNode item : v) {
            if (item.isTextual() && !item.asText().isEmpty()) {
                out.add(item.asText());
            } else {
                errors.add(name, name + " must hold non-empty id strings, got " + item);
            }
        }
        return out;
    }

    private void download(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Optional<ContactExport> found = exports.get(id);
        Matcher m = FILE.matcher(ctx.pathParam("file"));
        if (found.isEmpty() || !m.matches()) {
            Errors.write(ctx, ApiError.notFound("no export file " + id + "/" + ctx.pathParam("file")));
            return;
        }
        ContactExport e = found.get();
        int part = Integer.parseInt(m.group(1));
        if (!e.isReady()) {
            Errors.write(ctx, ApiError.notFound("export " + id + " is not ready; poll GET /v3/marketing/contacts/exports/" + id));
            return;
        }
        if (e.isExpired(System.currentTimeMillis())) {
            Errors.write(ctx, ApiError.notFound("export " + id + " has expired; start a new export"));
            return;
        }
        if (!m.group(2).equals(e.fileType.name()) || part > e.fileCount()) {
            Errors.write(ctx, ApiError.notFound("export " + id + " has files 1.." + e.fileCount() + " of type " + e.fileType + ".gz"));
            return;
        }
        ctx.disableCompression();
        ctx.status(200);
        ctx.contentType("application/gzip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + e.fileName(part) + "\"");
        ExportFile.write(e, part, ctx.outputStream(), segmentsByList.get());
    }
}
