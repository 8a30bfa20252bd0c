package io.gridsync.emulator.suppressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.suppressions.SuppressionStore.Group;
import io.javalin.http.Context;

/**
 * Unsubscribe groups ({@code /v3/asm/groups}): create, list, read, change and delete them, and
 * add, list and remove the addresses suppressed in one ({@code /v3/asm/groups/{group_id}/suppressions}).
 */
public final class UnsubscribeGroupsApi {

    static final int MAX_NAME = 30;
    static final int MAX_DESCRIPTION = 100;
    private static final String GROUPS = "/v3/asm/groups";
    private static final String GROUP = GROUPS + "/{group_id}";

    private final SuppressionStore store;

    public UnsubscribeGroupsApi(SuppressionStore store) {
        this.store = store;
    }

    public void register(ApiRouter router) {
        router.post(GROUPS, "asm.groups.create", this::create);
        router.get(GROUPS, "asm.groups.read", ctx -> {
            ArrayNode body = Json.array();
            store.groups().forEach(g -> body.add(json(g)));
            Json.write(ctx, 200, body);
        });
        router.get(GROUP, "asm.groups.read", ctx -> Json.write(ctx, 200, json(find(ctx))));
        router.patch(GROUP, "asm.groups.update", this::update);
        router.delete(GROUP, "asm.groups.delete", ctx -> {
            store.deleteGroup(find(ctx).id());
            ctx.status(204);
        });
        router.post(GROUP + "/suppressions", "asm.groups.suppressions.create", this::addMembers);
        router.get(GROUP + "/suppressions", "asm.groups.suppressions.read", ctx -> {
            ArrayNode body = Json.array();
            store.members(find(ctx).id()).forEach(body::add);
            Json.write(ctx, 200, body);
        });
        router.delete(GROUP + "/suppressions/{email}", "asm.groups.suppressions.delete", ctx -> {
            store.removeMember(find(ctx).id(), ctx.pathParam("email"));
            ctx.status(204);
        });
    }

    private void create(Context ctx) {
        ObjectNode body = Json.bodyObject(ctx);
        String name = text(body, "name", MAX_NAME, true);
        String description = text(body, "description", MAX_DESCRIPTION, true);
        for (Group g : store.groups()) {
            if (g.name().equals(name)) {
                throw ApiError.badRequest("name", "another group is already named '" + name + "'; group names are unique");
            }
        }
        Group g = store.createGroup(name, description, body.path("is_default").asBoolean(false));
        ObjectNode out = Json.object();
        out.put("id", g.id());
        out.put("name", g.name());
        out.put("description", g.description());
        out.put("is_default", g.isDefault());
        Json.write(ctx, 201, out);
    }

    private void update(Context ctx) {
        Group g = find(ctx);
        ObjectNode body = Json.bodyObject(ctx);
        String name = body.has("name") ? text(body, "name", MAX_NAME, true) : g.name();
        String description = body.has("description") ? text(body, "description", MAX_DESCRIPTION, true) : g.description();
        boolean isDefault = body.has("is_default") ? body.get("is_default").asBoolean() : g.isDefault();
        Json.write(ctx, 201, json(store.updateGroup(new Group(g.id(), name, description, isDefault))));
    }

    private void addMembers(Context ctx) {
        Group g = find(ctx);
        JsonNode emails = Json.bodyObject(ctx).get("recipient_emails");
        if (emails == null || !emails.isArray() || emails.isEmpty()) {
            throw ApiError.badRequest("recipient_emails", "recipient_emails must be a non-empty array of email addresses");
        }
        ObjectNode body = Json.object();
        ArrayNode added = body.putArray("recipient_emails");
        for (JsonNode e : emails) {
            if (!e.isTextual() || !e.asText().contains("@")) {
                throw ApiError.badRequest("recipient_emails", "recipient_emails must hold email addresses, not " + e);
            }
            store.addMember(g.id(), e.asText());
            added.add(e.asText());
        }
        Json.write(ctx, 201, body);
    }

    private Group find(Context ctx) {
        String raw = ctx.pathParam("group_id");
        try {
            return store.group(Long.parseLong(raw)).orElseThrow(() -> notFound(raw));
        } catch (NumberFormatException e) {
            throw notFound(raw);
        }
    }

    private static ApiError notFound(String id) {
        return ApiError.notFound("unsubscribe group " + id + " not found; GET /v3/asm/groups lists the groups");
    }

    private ObjectNode json(Group g) {
        ObjectNode o = Json.object();
        o.put("id", g.id());
        o.put("name", g.name());
        o.put("description", g.description());
        o.put("is_default", g.isDefault());
        o.put("unsubscribes", store.memberCount(g.id()));
        return o;
    }

    private static String text(JsonNode body, String field, int max, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiError.badRequest(field, field + " is required: 1 to " + max + " characters");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > max) {
            throw ApiError.badRequest(field, field + " must be a string of 1 to " + max + " characters");
        }
        return v.asText();
    }
}
