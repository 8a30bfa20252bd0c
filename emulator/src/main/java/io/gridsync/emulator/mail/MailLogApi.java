package io.gridsync.emulator.mail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.function.Predicate;

/**
 * Outside /v3, for tests and users: what Mail Send accepted. {@code GET /_emulator/mail} (most recent
 * first; {@code limit}, {@code offset}, {@code to} filters by recipient), {@code GET /_emulator/mail/{id}},
 * {@code DELETE /_emulator/mail}.
 */
public final class MailLogApi {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 10_000;

    private final SentMailLog log;

    public MailLogApi(SentMailLog log) {
        this.log = log;
    }

    public void register(Javalin app) {
        app.get("/_emulator/mail", this::list);
        app.get("/_emulator/mail/{messageId}", ctx -> {
            SentMessage m = log.byId(ctx.pathParam("messageId")).orElseThrow(() -> ApiError.notFound(
                    "no accepted message with id " + ctx.pathParam("messageId") + "; the log keeps the last "
                            + log.capacity() + " messages (GET /_emulator/mail lists them)"));
            Json.write(ctx, 200, m.toJson());
        });
        app.delete("/_emulator/mail", ctx -> {
            log.clearState();
            ctx.status(204);
        });
    }

    private void list(Context ctx) {
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        String to = ctx.queryParam("to");
        Predicate<SentMessage> filter = to == null || to.isBlank() ? m -> true : m -> m.isAddressedTo(to.trim());
        SentMailLog.Page page = log.page(filter, offset, limit);
        ObjectNode out = Json.object();
        ArrayNode messages = out.putArray("messages");
        page.messages().forEach(m -> messages.add(m.toJson()));
        out.put("total", page.total());
        out.put("offset", offset);
        out.put("limit", limit);
        Json.write(ctx, 200, out);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < min || v > max) {
                throw ApiError.badRequest(name, name + " must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name, name + " must be an integer, got '" + raw + "'");
        }
    }
}
