package io.gridsync.emulator.suppressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.http.QueryParams;
import io.gridsync.emulator.suppressions.SuppressionStore.Entry;
import io.gridsync.emulator.suppressions.SuppressionStore.Kind;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The address suppression lists ({@code /v3/suppression/bounces|blocks|spam_reports|invalid_emails|unsubscribes},
 * read with {@code start_time}/{@code end_time} on {@code created} and {@code limit}/{@code offset}
 * paging, one entry read and deleted by address) and the global unsubscribes
 * ({@code /v3/asm/suppressions/global}), which are the {@code unsubscribes} list.
 */
public final class SuppressionsApi {

    /** SendGrid's page size limit of these lists ({@code PaginationCommonLimit}). */
    static final int MAX_LIMIT = 500;

    private final SuppressionStore store;

    public SuppressionsApi(SuppressionStore store) {
        this.store = store;
    }

    /** The scope SendGrid checks to read one list, e.g. {@code suppression.bounces.read}. */
    public static String readScope(Kind kind) {
        return "suppression." + kind.path + ".read";
    }

    public void register(ApiRouter router) {
        for (Kind kind : Kind.values()) {
            String path = "/v3/suppression/" + kind.path;
            router.get(path, readScope(kind), ctx -> list(ctx, kind));
            if (kind != Kind.UNSUBSCRIBES) {
                router.get(path + "/{email}", readScope(kind), ctx -> one(ctx, kind));
                router.delete(path + "/{email}", "suppression." + kind.path + ".delete", ctx -> {
                    store.remove(kind, ctx.pathParam("email"));
                    ctx.status(204);
                });
            }
        }
        router.post("/v3/asm/suppressions/global", "asm.suppressions.global.create", this::addGlobal);
        router.get("/v3/asm/suppressions/global/{email}", "asm.suppressions.global.read", ctx -> {
            ObjectNode body = Json.object();
            store.get(Kind.UNSUBSCRIBES, ctx.pathParam("email")).ifPresent(e -> body.put("recipient_email", e.email()));
            Json.write(ctx, 200, body);
        });
        router.delete("/v3/asm/suppressions/global/{email}", "asm.suppressions.global.delete", ctx -> {
            store.remove(Kind.UNSUBSCRIBES, ctx.pathParam("email"));
            ctx.status(204);
        });
    }

    private void list(Context ctx, Kind kind) {
        Long start = QueryParams.integer(ctx, "start_time", 0);
        Long end = QueryParams.integer(ctx, "end_time", 0);
        Long limit = QueryParams.integer(ctx, "limit", 1);
        Long offset = QueryParams.integer(ctx, "offset", 0);
        if (limit != null && limit > MAX_LIMIT) {
            throw ApiError.badRequest("limit", "limit must be from 1 to " + MAX_LIMIT);
        }
        String match = ctx.queryParam("email");
        List<Entry> entries = new ArrayList<>();
        for (Entry e : store.list(kind, start, end)) {
            if (match == null || e.email().toLowerCase(Locale.ROOT).contains(match.toLowerCase(Locale.ROOT))) {
                entries.add(e);
            }
        }
        int from = (int) Math.min(entries.size(), offset == null ? 0 : offset);
        int to = (int) Math.min(entries.size(), from + (limit == null ? MAX_LIMIT : limit));
        ArrayNode body = Json.array();
        entries.subList(from, to).forEach(e -> body.add(json(kind, e)));
        Json.write(ctx, 200, body);
    }

    private void one(Context ctx, Kind kind) {
        ArrayNode body = Json.array();
        store.get(kind, ctx.pathParam("email")).ifPresent(e -> body.add(json(kind, e)));
        Json.write(ctx, 200, body);
    }

    private void addGlobal(Context ctx) {
        JsonNode emails = Json.bodyObject(ctx).get("recipient_emails");
        if (emails == null || !emails.isArray() || emails.isEmpty()) {
            throw ApiError.badRequest("recipient_emails", "recipient_emails must be a non-empty array of email addresses");
        }
        long now = Instant.now().getEpochSecond();
        ObjectNode body = Json.object();
        ArrayNode added = body.putArray("recipient_emails");
        for (JsonNode e : emails) {
            if (!e.isTextual() || !e.asText().contains("@")) {
                throw ApiError.badRequest("recipient_emails", "recipient_emails must hold email addresses, not " + e);
            }
            store.add(Kind.UNSUBSCRIBES, new Entry(e.asText(), now, null, null, null));
            added.add(e.asText());
        }
        Json.write(ctx, 201, body);
    }

    /** One entry with the fields its list has in SendGrid's answers. */
    static ObjectNode json(Kind kind, Entry e) {
        ObjectNode o = Json.object();
        o.put("created", e.created());
        o.put("email", e.email());
        switch (kind) {
            case BOUNCES, BLOCKS -> {
                o.put("reason", e.reason());
                o.put("status", e.status());
            }
            case SPAM_REPORTS -> o.put("ip", e.ip());
            case INVALID_EMAILS -> o.put("reason", e.reason());
            case UNSUBSCRIBES -> {
                // created and email only
            }
            default -> throw new IllegalStateException("unhandled list " + kind);
        }
        return o;
    }
}
