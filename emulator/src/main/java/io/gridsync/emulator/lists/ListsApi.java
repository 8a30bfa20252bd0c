package io.gridsync.emulator.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.http.MarketingJson;
import io.gridsync.emulator.paging.Links;
import io.gridsync.emulator.paging.Page;
import io.gridsync.emulator.paging.PageRequest;
import io.gridsync.emulator.state.Ids;
import io.javalin.http.Context;

/**
 * {@code /v3/marketing/lists}: create, page through, get (with the contact count and an optional
 * contact sample), rename and delete lists, and count a list's contacts. Memberships live with the
 * contacts; this asks {@link ListMembers} for them. Removing contacts from a list
 * ({@code DELETE /v3/marketing/lists/{id}/contacts}) belongs to the contacts endpoints.
 */
public final class ListsApi {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;

    private final ListStore lists;
    private final ListMembers members;

    public ListsApi(ListStore lists, ListMembers members) {
        this.lists = lists;
        this.members = members;
    }

    public void register(ApiRouter router) {
        router.post("/v3/marketing/lists", "marketing.write", this::create);
        router.get("/v3/marketing/lists", "marketing.read", this::page);
        router.get("/v3/marketing/lists/{id}", "marketing.read", this::get);
        router.patch("/v3/marketing/lists/{id}", "marketing.write", this::rename);
        router.delete("/v3/marketing/lists/{id}", "marketing.write", this::delete);
        router.get("/v3/marketing/lists/{id}/contacts/count", "marketing.read", this::count);
    }

    private void create(Context ctx) {
        String name = name(MarketingJson.bodyObject(ctx));
        Json.write(ctx, 201, json(ctx, lists.add(name)));
    }

    private void page(Context ctx) {
        Page<ContactList> page = lists.page(PageRequest.parse(ctx, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, false));
        ObjectNode body = Json.object();
        ArrayNode result = body.putArray("result");
        page.items().forEach(l -> result.add(json(ctx, l)));
        body.set("_metadata", page.metadata(ctx));
        Json.write(ctx, 200, body);
    }

    private void get(Context ctx) {
        ContactList list = find(ctx);
        ObjectNode body = json(ctx, list);
        if (MarketingJson.queryFlag(ctx, "contact_sample", false)) {
            members.contactSample(list.id()).ifPresent(sample -> body.set("contact_sample", sample));
        }
        Json.write(ctx, 200, body);
    }

    private void rename(Context ctx) {
        String id = ctx.pathParam("id");
        ObjectNode request = MarketingJson.bodyObject(ctx);
        find(ctx);
        ContactList renamed = lists.rename(id, name(request)).orElseThrow(() -> notFound(id));
        Json.write(ctx, 200, json(ctx, renamed));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("id");
        boolean deleteContacts = MarketingJson.queryFlag(ctx, "delete_contacts", false);
        if (!lists.delete(id)) {
            throw notFound(id);
        }
        members.listDeleted(id, deleteContacts);
        if (deleteContacts) {
            // SendGrid deletes the contacts in an asynchronous job and answers with its id
            ObjectNode body = Json.object();
            body.put("job_id", Ids.uuid());
            Json.write(ctx, 200, body);
        } else {
            ctx.status(204);
        }
    }

    private void count(Context ctx) {
        ContactList list = find(ctx);
        long n = members.countInList(list.id());
        ObjectNode body = Json.object();
        body.put("contact_count", n);
        body.put("billable_count", n);
        Json.write(ctx, 200, body);
    }

    private ContactList find(Context ctx) {
        String id = ctx.pathParam("id");
        return lists.byId(id).orElseThrow(() -> notFound(id));
    }

    private static ApiError notFound(String id) {
        return ApiError.of(404, "id", "list '" + id + "' not found; GET /v3/marketing/lists shows the lists of the account");
    }

    private static String name(JsonNode body) {
        JsonNode name = body.get("name");
        if (name == null || name.isNull()) {
            throw ApiError.badRequest("name", "name is required: 1 to " + ListStore.MAX_NAME_LENGTH + " characters");
        }
        if (!name.isTextual()) {
            throw ApiError.badRequest("name", "name must be a string");
        }
        return name.asText();
    }

    private ObjectNode json(Context ctx, ContactList list) {
        ObjectNode o = Json.object();
        o.put("id", list.id());
        o.put("name", list.name());
        o.put("contact_count", members.countInList(list.id()));
        o.putObject("_metadata").put("self", Links.absolute(ctx, "/v3/marketing/lists/" + list.id()));
        return o;
    }
}
