package io.gridsync.emulator.singlesends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.http.MarketingJson;
import io.gridsync.emulator.paging.Page;
import io.gridsync.emulator.paging.PageRequest;
import io.gridsync.emulator.state.Ids;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code /v3/marketing/singlesends}: create drafts, page through them (condensed), get, update and
 * delete one, and search by name, status and categories. Sending and scheduling are not emulated:
 * every Single Send stays a draft.
 */
public final class SingleSendsApi {

    private static final String PATH = "/v3/marketing/singlesends";
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 100;
    private static final Set<String> STATUSES = Set.of("draft", "scheduled", "triggered");

    private final SingleSendStore store;

    public SingleSendsApi(SingleSendStore store) {
        this.store = store;
    }

    public void register(ApiRouter router) {
        router.post(PATH, "marketing.write", this::create);
        router.get(PATH, "marketing.read", this::page);
        // literal paths before {id}, so "search" is never taken for an id
        router.post(PATH + "/search", "marketing.read", this::search);
        router.get(PATH + "/{id}", "marketing.read", this::get);
        router.patch(PATH + "/{id}", "marketing.write", this::update);
        router.delete(PATH + "/{id}", "marketing.write", this::delete);
    }

    private void create(Context ctx) {
        ObjectNode body = MarketingJson.bodyObject(ctx);
        SingleSend s = store.add(seq -> SingleSendChanges.create(Ids.uuid(), seq, body, now()));
        Json.write(ctx, 201, full(s));
    }

    private void page(Context ctx) {
        writePage(ctx, s -> true);
    }

    private void search(Context ctx) {
        PageRequest.parse(ctx, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, false); // a bad page_size is a 400 before the body
        ObjectNode body = MarketingJson.bodyObject(ctx);
        ApiError.Collector errors = new ApiError.Collector();
        String name = null;
        JsonNode n = body.get("name");
        if (n != null && !n.isNull()) {
            if (n.isTextual() && !n.asText().isEmpty() && n.asText().length() <= SingleSendChanges.MAX_NAME_LENGTH) {
                name = n.asText().toLowerCase(Locale.ROOT);
            } else {
                errors.add("name", "name must be a string of 1 to " + SingleSendChanges.MAX_NAME_LENGTH + " characters");
            }
        }
        List<String> statuses = stringArray(body.get("status"), "status", errors);
        for (String st : statuses) {
            if (!STATUSES.contains(st)) {
                errors.add("status", "status '" + st + "' is not one of draft, scheduled, triggered");
            }
        }
        List<String> categories = stringArray(body.get("categories"), "categories", errors);
        errors.throwIfAny(400);

        String nameFilter = name;
        writePage(ctx, s -> (nameFilter == null || s.name().toLowerCase(Locale.ROOT).contains(nameFilter))
                && (statuses.isEmpty() || statuses.contains(s.status()))
                && (categories.isEmpty() || s.categories().stream().anyMatch(categories::contains)));
    }

    private void writePage(Context ctx, Predicate<SingleSend> filter) {
        PageRequest request = PageRequest.parse(ctx, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, false);
        List<SingleSend> matching = store.all().stream().filter(filter).toList();
        Page<SingleSend> page = Page.of(matching, SingleSend::seq, request);
        ObjectNode out = Json.object();
        ArrayNode result = out.putArray("result");
        page.items().forEach(s -> result.add(condensed(s)));
        out.set("_metadata", page.metadata(ctx));
        Json.write(ctx, 200, out);
    }

    private void get(Context ctx) {
        Json.write(ctx, 200, full(find(ctx)));
    }

    private void update(Context ctx) {
        String id = ctx.pathParam("id");
        ObjectNode body = MarketingJson.bodyObject(ctx);
        find(ctx);
        SingleSend s = store.update(id, base -> SingleSendChanges.apply(base, body, false, now()))
                .orElseThrow(() -> notFound(id));
        Json.write(ctx, 202, full(s));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("id");
        if (!store.delete(id)) {
            throw notFound(id);
        }
        ctx.status(204);
    }

    private SingleSend find(Context ctx) {
        String id = ctx.pathParam("id");
        return store.byId(id).orElseThrow(() -> notFound(id));
    }

    private static ApiError notFound(String id) {
        return ApiError.of(404, "id", "Single Send '" + id + "' not found; GET " + PATH + " lists the account's Single Sends");
    }

    private static List<String> stringArray(JsonNode v, String field, ApiError.Collector errors) {
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            errors.add(field, field + " must be an array of strings");
            return out;
        }
        for (JsonNode item : v) {
            if (item.isTextual()) {
                out.add(item.asText());
            } else {
                errors.add(field, field + " must hold only strings, found " + item);
            }
        }
        return out;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** singlesend_response. */
    private static ObjectNode full(SingleSend s) {
        ObjectNode o = Json.object();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("status", s.status());
        s.categories().forEach(o.putArray("categories")::add);
        o.put("send_at", s.sendAt());
        ObjectNode to = o.putObject("send_to");
        ArrayNode lists = to.putArray("list_ids");
        s.listIds().forEach(lists::add);
        ArrayNode segments = to.putArray("segment_ids");
        s.segmentIds().forEach(segments::add);
        to.put("all", s.sendToAll());
        o.put("updated_at", s.updatedAt().toString());
        o.put("created_at", s.createdAt().toString());
        o.set("email_config", s.emailConfig());
        return o;
    }

    /** singlesend_response_short, as GET and search list them. */
    private static ObjectNode condensed(SingleSend s) {
        ObjectNode o = Json.object();
        o.put("id", s.id());
        o.put("name", s.name());
        o.putNull("abtest");
        o.put("status", s.status());
        s.categories().forEach(o.putArray("categories")::add);
        if (s.sendAt() != null) {
            o.put("send_at", s.sendAt());
        }
        o.put("is_abtest", false);
        o.put("updated_at", s.updatedAt().toString());
        o.put("created_at", s.createdAt().toString());
        return o;
    }
}
