package io.gridsync.emulator.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.http.MarketingJson;
import io.gridsync.emulator.paging.Links;
import io.javalin.http.Context;

/**
 * {@code /v3/marketing/field_definitions}: list the custom and reserved fields, create a custom
 * field (name and type), rename one (only the name can change) and delete one. Reserved fields
 * can be neither changed nor deleted.
 */
public final class FieldsApi {

    private static final String PATH = "/v3/marketing/field_definitions";

    private final FieldStore fields;

    public FieldsApi(FieldStore fields) {
        this.fields = fields;
    }

    public void register(ApiRouter router) {
        router.get(PATH, "marketing.read", this::list);
        router.post(PATH, "marketing.write", this::create);
        router.patch(PATH + "/{custom_field_id}", "marketing.write", this::rename);
        router.delete(PATH + "/{custom_field_id}", "marketing.write", this::delete);
    }

    private void list(Context ctx) {
        ObjectNode body = Json.object();
        ArrayNode custom = body.putArray("custom_fields");
        for (FieldDefinition f : fields.all()) {
            custom.addObject().put("id", f.id()).put("name", f.name()).put("field_type", f.type().name());
        }
        ArrayNode reserved = body.putArray("reserved_fields");
        for (ReservedField f : ReservedField.ALL) {
            ObjectNode o = reserved.addObject().put("id", f.id()).put("name", f.name()).put("field_type", f.type().name());
            if (f.readOnly()) {
                o.put("read_only", true);
            }
        }
        body.putObject("_metadata").put("self", Links.absolute(ctx, PATH));
        Json.write(ctx, 200, body);
    }

    private void create(Context ctx) {
        ObjectNode request = MarketingJson.bodyObject(ctx);
        String name = name(request);
        FieldType type = type(request.get("field_type"));
        Json.write(ctx, 200, json(ctx, fields.add(name, type)));
    }

    private void rename(Context ctx) {
        String id = ctx.pathParam("custom_field_id");
        ObjectNode request = MarketingJson.bodyObject(ctx);
        if (ReservedField.withId(id).isPresent()) {
            throw ApiError.badRequest("custom_field_id", "'" + id + "' is a reserved field; reserved fields cannot be changed");
        }
        if (request.has("field_type")) {
            throw ApiError.badRequest("field_type", "the type of a custom field cannot be changed; only its name can. "
                    + "Delete the field and create it again with the new type");
        }
        String name = name(request);
        FieldDefinition renamed = fields.rename(id, name).orElseThrow(() -> notFound(id));
        Json.write(ctx, 200, json(ctx, renamed));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("custom_field_id");
        if (!fields.delete(id)) {
            throw notFound(id);
        }
        ctx.status(204);
    }

    private static ApiError notFound(String id) {
        String why = ReservedField.withId(id).isPresent()
                ? "'" + id + "' is a reserved field, not a custom field; reserved fields cannot be deleted"
                : "custom field '" + id + "' not found; GET " + PATH + " lists the account's fields and their ids";
        return ApiError.of(404, "custom_field_id", why);
    }

    private static String name(JsonNode body) {
        JsonNode name = body.get("name");
        if (name == null || name.isNull()) {
            throw ApiError.badRequest("name", "name is required");
        }
        if (!name.isTextual()) {
            throw ApiError.badRequest("name", "name must be a string");
        }
        return name.asText();
    }

    private static FieldType type(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiError.badRequest("field_type", "field_type is required: Text, Number or Date");
        }
        if (node.isTextual()) {
            for (FieldType t : FieldType.values()) {
                if (t.name().equals(node.asText())) {
                    return t;
                }
            }
        }
        throw ApiError.badRequest("field_type", "field_type must be Text, Number or Date, got " + node);
    }

    private static ObjectNode json(Context ctx, FieldDefinition f) {
        ObjectNode o = Json.object();
        o.put("id", f.id());
        o.put("name", f.name());
        o.put("field_type", f.type().name());
        o.putObject("_metadata").put("self", Links.absolute(ctx, PATH + "/" + f.id()));
        return o;
    }
}
