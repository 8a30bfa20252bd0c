package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.Set;

/**
 * {@code /v1/admin/session}: the console's sign-in. POST exchanges the admin token for a session
 * cookie; GET says who is signed in and gives the CSRF token for writes; DELETE signs out.
 */
final class SessionRoutes {

    static final String PATH = "/v1/admin/session";

    private final AdminAuth auth;
    private final AdminSessions sessions;

    SessionRoutes(AdminAuth auth, AdminSessions sessions) {
        this.auth = auth;
        this.sessions = sessions;
    }

    void register(Javalin app) {
        app.post(PATH, AdminJson.guard(this::signIn));
        app.get(PATH, AdminJson.guard(this::current));
        app.delete(PATH, AdminJson.guard(this::signOut));
    }

    private void signIn(Context ctx) throws Exception {
        ObjectNode req = AdminJson.readObject(ctx, false);
        AdminJson.onlyKnown(req, "", Set.of("token"));
        String token = AdminJson.text(req, "token", "");
        if (token == null || token.isBlank()) {
            throw AdminError.badRequest("sign in with {\"token\": \"<admin token>\"} (./gridsync up prints it; GRIDSYNC_ADMIN_TOKEN sets it)");
        }
        if (!auth.acceptsToken(token)) {
            AdminJson.error(ctx, 401, "the admin token is not valid; ./gridsync up prints it, GRIDSYNC_ADMIN_TOKEN sets it");
            return;
        }
        String cookie = sessions.issue();
        ctx.header("Set-Cookie", AdminSessions.cookie(cookie, ctx));
        AdminSessions.Session s = sessions.parse(cookie);
        AdminJson.write(ctx, 201, view(s));
    }

    private void current(Context ctx) throws Exception {
        AdminSessions.Session s = ctx.header("Authorization") == null ? sessions.of(ctx) : null;
        AdminJson.write(ctx, 200, s == null ? AdminJson.MAPPER.createObjectNode().put("signed_in", true).put("via", "token")
                : view(s));
    }

    private void signOut(Context ctx) throws Exception {
        AdminSessions.Session s = sessions.of(ctx);
        if (s != null) {
            sessions.end(s);
        }
        ctx.header("Set-Cookie", AdminSessions.cookie("", ctx));
        AdminJson.write(ctx, 200, AdminJson.MAPPER.createObjectNode().put("signed_out", s != null));
    }

    private ObjectNode view(AdminSessions.Session s) {
        return AdminJson.MAPPER.createObjectNode().put("signed_in", true).put("via", "session")
                .put("csrf_token", sessions.csrf(s)).put("expires_at", Instant.ofEpochMilli(s.expiresAt()).toString());
    }
}
