package io.gridsync.emulator.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.http.MarketingJson;
import io.gridsync.emulator.lists.ListMembers;
import io.gridsync.emulator.lists.ListStore;
import io.gridsync.emulator.paging.Links;
import io.javalin.http.Context;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /v3/marketing/segments/2.0}: create, list (with SendGrid's id and parent-list filters),
 * get, update (name and query) and delete segments. The query is stored, not run: a segment's
 * {@code contacts_count} is the size of the list it is restricted to, its parent list or else a
 * query that is only {@code CONTAINS(list_ids, '<id>')}, as {@link ListMembers} counts it; other
 * conditions are not evaluated, and a segment over all contacts counts 0.
 */
public final class SegmentsApi {

    private static final String PATH = "/v3/marketing/segments/2.0";
    private static final int MAX_NAME_LENGTH = 100;
    /** SendGrid allows one parent list per segment "for now". */
    private static final int MAX_PARENT_LISTS = 1;
    private static final int MAX_PARENT_LIST_FILTER = 50;

    private final SegmentStore segments;
    private final ListStore lists;
    private final ListMembers members;

    public SegmentsApi(SegmentStore segments, ListStore lists, ListMembers members) {
        this.segments = segments;
        this.lists = lists;
        this.members = members;
    }

    public void register(ApiRouter router) {
        router.post(PATH, "marketing.write", this::create);
        router.get(PATH, "marketing.read", this::list);
        router.get(PATH + "/{segment_id}", "marketing.read", this::get);
        router.patch(PATH + "/{segment_id}", "marketing.write", this::update);
        router.delete(PATH + "/{segment_id}", "marketing.write", this::delete);
    }

    private void create(Context ctx) {
        ObjectNode request = MarketingJson.bodyObject(ctx);
        String name = name(request, true);
        String query = text(request, "query_dsl");
        SegmentQuery.check(query);
        List<String> parents = parentListIds(request.get("parent_list_ids"));
        Segment s = segments.add(name, query, parents);
        Json.write(ctx, 201, full(s));
    }

    private void list(Context ctx) {
        List<String> ids = ctx.queryParams("ids").stream()
                .flatMap(v -> List.of(v.split(",")).stream()).map(String::trim).filter(v -> !v.isEmpty()).toList();
        Set<String> parentFilter = new HashSet<>();
        String rawParents = ctx.queryParam("parent_list_ids");
        if (rawParents != null) {
            for (String p : rawParents.split(",")) {
                if (!p.isBlank()) {
                    parentFilter.add(p.trim());
                }
            }
        }
        if (parentFilter.size() > MAX_PARENT_LIST_FILTER) {
            throw ApiError.badRequest("parent_list_ids", "parent_list_ids filters on at most " + MAX_PARENT_LIST_FILTER
                    + " list ids, got " + parentFilter.size());
        }
        boolean noParent = MarketingJson.queryFlag(ctx, "no_parent_list_id", false);

        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        for (Segment s : segments.all()) {
            if (matches(s, ids, parentFilter, noParent)) {
                results.add(summary(s));
            }
        }
        body.putObject("_metadata").put("self", Links.absolute(ctx, PATH));
        Json.write(ctx, 200, body);
    }

    /** SendGrid's filter table: ids win; else parent lists and/or segments without a parent list. */
    private static boolean matches(Segment s, List<String> ids, Set<String> parents, boolean noParent) {
        if (!ids.isEmpty()) {
            return ids.contains(s.id());
        }
        if (parents.isEmpty() && !noParent) {
            return true;
        }
        boolean byParent = s.parentListIds().stream().anyMatch(parents::contains);
        boolean withoutParent = noParent && s.parentListIds().isEmpty();
        return byParent || withoutParent;
    }

    private void get(Context ctx) {
        Segment s = find(ctx);
        MarketingJson.queryFlag(ctx, "contacts_sample", true); // checked; the sample is empty either way
        Json.write(ctx, 200, full(s));
    }

    private void update(Context ctx) {
        String id = ctx.pathParam("segment_id");
        ObjectNode request = MarketingJson.bodyObject(ctx);
        find(ctx);
        if (request.has("parent_list_ids")) {
            throw ApiError.badRequest("parent_list_ids", "the parent list of a segment cannot be changed; "
                    + "create a new segment for another list");
        }
        String name = request.has("name") ? name(request, false) : null;
        String query = request.has("query_dsl") ? text(request, "query_dsl") : null;
        if (query != null) {
            SegmentQuery.check(query);
        }
        if (name == null && query == null) {
            throw ApiError.badRequest("name", "nothing to update: send name and/or query_dsl");
        }
        Segment s = segments.update(id, name, query).orElseThrow(() -> notFound(id));
        Json.write(ctx, 200, full(s));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("segment_id");
        if (!segments.delete(id)) {
            throw notFound(id);
        }
        ctx.status(202);
    }

    private Segment find(Context ctx) {
        String id = ctx.pathParam("segment_id");
        return segments.byId(id).orElseThrow(() -> notFound(id));
    }

    private static ApiError notFound(String id) {
        return ApiError.of(404, "segment_id", "segment '" + id + "' not found; GET " + PATH + " lists the account's segments");
    }

    private List<String> parentListIds(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw ApiError.badRequest("parent_list_ids", "parent_list_ids must be an array holding at most one list id");
        }
        if (node.size() > MAX_PARENT_LISTS) {
            throw ApiError.badRequest("parent_list_ids", "a segment can have at most " + MAX_PARENT_LISTS
                    + " parent list, got " + node.size());
        }
        for (JsonNode id : node) {
            if (!id.isTextual()) {
                throw ApiError.badRequest("parent_list_ids", "parent_list_ids must hold list ids (strings)");
            }
            if (!lists.exists(id.asText())) {
                throw ApiError.badRequest("parent_list_ids", "list '" + id.asText() + "' does not exist; "
                        + "a segment's parent list must be one of the account's lists");
            }
            out.add(id.asText());
        }
        return out;
    }

    private static String name(JsonNode body, boolean required) {
        JsonNode name = body.get("name");
        if (name == null || name.isNull()) {
            if (required) {
                throw ApiError.badRequest("name", "name is required: 1 to " + MAX_NAME_LENGTH + " characters");
            }
            return null;
        }
        if (!name.isTextual()) {
            throw ApiError.badRequest("name", "name must be a string");
        }
        String s = name.asText();
        if (s.isEmpty() || s.length() > MAX_NAME_LENGTH) {
            throw ApiError.badRequest("name", "name must be 1 to " + MAX_NAME_LENGTH + " characters, got " + s.length());
        }
        return s;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field, field + " must be a string");
        }
        return v.asText();
    }

    /** Members of the list the segment is restricted to; conditions beyond membership are not run. */
    long contactsCount(Segment s) {
        String list = membershipList(s);
        return list != null && lists.exists(list) ? members.countInList(list) : 0;
    }

    /** The list whose members are the segment's (its parent list, or the list its query asks membership of), or null. */
    private static String membershipList(Segment s) {
        return !s.parentListIds().isEmpty() ? s.parentListIds().get(0) : SegmentQuery.membershipList(s.queryDsl()).orElse(null);
    }

    /** List id -> the segments whose members are that list's, as {@link #contactsCount} counts them (for exported contacts). */
    public java.util.Map<String, List<String>> segmentsByList() {
        java.util.Map<String, List<String>> out = new java.util.HashMap<>();
        for (Segment s : segments.all()) {
            String list = membershipList(s);
            if (list != null) {
                out.computeIfAbsent(list, l -> new java.util.ArrayList<>()).add(s.id());
            }
        }
        return out;
    }

    /** The shape of each item of GET .../segments/2.0 (all_segments_response). */
    private ObjectNode summary(Segment s) {
        ObjectNode o = Json.object();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("contacts_count", contactsCount(s));
        o.put("created_at", s.createdAt().toString());
        o.put("updated_at", s.updatedAt().toString());
        o.put("sample_updated_at", s.updatedAt().toString());
        // SendGrid refreshes samples and counts about hourly
        o.put("next_sample_update", s.updatedAt().plus(1, ChronoUnit.HOURS).toString());
        ArrayNode parents = o.putArray("parent_list_ids");
        s.parentListIds().forEach(parents::add);
        o.put("query_version", "2");
        o.putObject("status").put("query_validation", "VALID");
        return o;
    }

    /** The shape of a single segment (segment_response). */
    private ObjectNode full(Segment s) {
        ObjectNode o = summary(s);
        o.put("query_dsl", s.queryDsl());
        // the emulator holds no contact rows to sample; SendGrid's sample is refreshed hourly anyway
        o.putArray("contacts_sample");
        o.put("refreshes_used", 0);
        o.put("max_refreshes", 2);
        return o;
    }
}
