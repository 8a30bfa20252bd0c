package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.integration.Subscription;
import io.gridsync.server.integrations.IntegrationStore;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** {@code /v1/admin/integrations/{id}/subscriptions[/{name}]}: what an integration delivers, one subscription at a time. */
final class SubscriptionRoutes {

    private static final String BASE = "/v1/admin/integrations/{id}/subscriptions";
    private final IntegrationStore store;
    private final SubscriptionPreview preview;

    SubscriptionRoutes(IntegrationStore store) {
        this.store = store;
        this.preview = new SubscriptionPreview(store);
    }

    void register(Javalin app) {
        app.get(BASE, AdminJson.guard(this::list));
        app.post(BASE, AdminJson.guard(this::add));
        app.post(BASE + "/preview", AdminJson.guard(ctx -> preview.handle(ctx, integration(ctx))));
        app.get(BASE + "/{name}", AdminJson.guard(this::get));
        app.put(BASE + "/{name}", AdminJson.guard(this::put));
        app.delete(BASE + "/{name}", AdminJson.guard(this::delete));
    }

    private void list(Context ctx) throws Exception {
        String id = integration(ctx);
        ObjectNode body = AdminJson.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("subscriptions");
        store.subscriptions(id).forEach(s -> items.add(IntegrationJson.render(s)));
        AdminJson.write(ctx, 200, body);
    }

    private void add(Context ctx) throws Exception {
        String id = integration(ctx);
        Subscription s = store.addSubscription(id, IntegrationJson.subscription(AdminJson.readObject(ctx, false), null, ""));
        AdminJson.write(ctx, 201, IntegrationJson.render(s));
    }

    private void get(Context ctx) throws Exception {
        String id = integration(ctx);
        String name = ctx.pathParam("name");
        Subscription s = store.subscription(id, name).orElseThrow(() -> missing(name));
        AdminJson.write(ctx, 200, IntegrationJson.render(s));
    }

    private void put(Context ctx) throws Exception {
        String id = integration(ctx);
        Subscription s = IntegrationJson.subscription(AdminJson.readObject(ctx, false), ctx.pathParam("name"), "");
        boolean replaced = store.putSubscription(id, s);
        AdminJson.write(ctx, replaced ? 200 : 201, IntegrationJson.render(s));
    }

    private void delete(Context ctx) {
        String id = integration(ctx);
        String name = ctx.pathParam("name");
        if (!store.deleteSubscription(id, name)) {
            throw missing(name);
        }
        ctx.status(204);
    }

    private String integration(Context ctx) {
        String id = ctx.pathParam("id");
        if (store.get(id).isEmpty()) {
            throw IntegrationRoutes.missing(id);
        }
        return id;
    }

    private static AdminError missing(String name) {
        return AdminError.notFound("no subscription named '" + name + "' in this integration");
    }
}
