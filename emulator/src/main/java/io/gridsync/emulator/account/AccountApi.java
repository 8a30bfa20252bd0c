package io.gridsync.emulator.account;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;

import java.util.Set;
import java.util.TreeSet;

/** {@code GET /v3/scopes} and {@code GET /v3/user/account}: what a credentials check calls first. */
public final class AccountApi {

    public void register(ApiRouter router) {
        router.get("/v3/scopes", null, ctx -> {
            Set<String> scopes = ctx.attribute(ApiRouter.SCOPES_ATTRIBUTE);
            ObjectNode body = Json.object();
            ArrayNode list = body.putArray("scopes");
            new TreeSet<>(scopes).forEach(list::add);
            Json.write(ctx, 200, body);
        });
        router.get("/v3/user/account", "user.account.read", ctx -> {
            ObjectNode body = Json.object();
            body.put("type", "paid");
            body.put("reputation", 100);
            Json.write(ctx, 200, body);
        });
    }
}
