package io.gridsync.server.admin;

import io.gridsync.server.secrets.SecretBox;
import io.gridsync.server.store.Database;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code POST /v1/admin/admin-token/rotate}: a new admin token, shown once in the answer; the old one
 * keeps working for {@link AdminAuth#GRACE} so clients switch without downtime.
 * {@code POST /v1/admin/admin-token/retire-previous} ends that grace period at once (a leaked token).
 */
final class AdminTokenRoutes {

    private final AdminAuth auth;
    private final Database db;
    private final SecretBox box;
    private final boolean fromEnvironment;

    /** @param fromEnvironment the token is GRIDSYNC_ADMIN_TOKEN's: it is rotated there, not through the API */
    AdminTokenRoutes(AdminAuth auth, Database db, SecretBox box, boolean fromEnvironment) {
        this.auth = auth;
        this.db = db;
        this.box = box;
        this.fromEnvironment = fromEnvironment;
    }

    void register(Javalin app) {
        app.post("/v1/admin/admin-token/rotate", AdminJson.guard(this::rotate));
        app.post("/v1/admin/admin-token/retire-previous", AdminJson.guard(this::retire));
    }

    private void rotate(Context ctx) throws Exception {
        if (fromEnvironment) {
            AdminJson.error(ctx, 409, "the admin token comes from GRIDSYNC_ADMIN_TOKEN; change it there and restart the hub");
            return;
        }
        String token = AdminToken.rotate(db, box);
        auth.rotateTo(token);
        AdminJson.write(ctx, 200, AdminJson.MAPPER.createObjectNode().put("admin_token", token)
                .put("previous_valid_for_seconds", AdminAuth.GRACE.toSeconds())
                .put("note", "shown this once; the previous token works for " + AdminAuth.GRACE.toMinutes()
                        + " more minutes, or until POST /v1/admin/admin-token/retire-previous"));
    }

    private void retire(Context ctx) throws Exception {
        auth.retirePrevious();
        AdminJson.write(ctx, 200, AdminJson.MAPPER.createObjectNode().put("previous_retired", true));
    }
}
