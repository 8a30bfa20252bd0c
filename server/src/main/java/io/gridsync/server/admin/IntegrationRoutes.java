package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.integrations.IntegrationPatch;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.NewIntegration;
import io.gridsync.server.security.OutboundEndpoints;
import io.gridsync.server.integrations.StoredIntegration;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * Installing, listing, changing, testing and deleting integrations:
 * {@code POST /v1/admin/integration-catalog/sendgrid/install}, {@code /v1/admin/integrations[/{id}[/test]]}.
 */
final class IntegrationRoutes {

    private final IntegrationStore store;
    private final OutboundEndpoints endpoints;
    /** Opens the credentials test's client, paced like every other of the account. */
    private final io.gridsync.server.cluster.SendGridClients clients;

    IntegrationRoutes(IntegrationStore store, OutboundEndpoints endpoints, io.gridsync.server.cluster.SendGridClients clients) {
        this.store = store;
        this.endpoints = endpoints;
        this.clients = clients;
    }

    void register(Javalin app) {
        app.post("/v1/admin/integration-catalog/{integration}/install", AdminJson.guard(this::install));
        app.get("/v1/admin/integrations", AdminJson.guard(this::list));
        app.get("/v1/admin/integrations/{id}", AdminJson.guard(this::get));
        app.patch("/v1/admin/integrations/{id}", AdminJson.guard(this::patch));
        app.delete("/v1/admin/integrations/{id}", AdminJson.guard(this::delete));
        app.post("/v1/admin/integrations/{id}/test", AdminJson.guard(this::test));
    }

    private void install(Context ctx) throws Exception {
        String kind = ctx.pathParam("integration");
        if (!kind.equals("sendgrid")) {
            throw AdminError.notFound("the integration catalog has one entry, sendgrid; there is no '" + kind + "'");
        }
        NewIntegration integration = IntegrationJson.install(AdminJson.readObject(ctx, false));
        allowed(integration.endpoint());
        StoredIntegration created = store.create(integration);
        ctx.header("Location", "/v1/admin/integrations/" + created.id());
        AdminJson.write(ctx, 201, IntegrationJson.render(created, store.subscriptions(created.id())));
    }

    private void list(Context ctx) throws Exception {
        ObjectNode body = AdminJson.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("integrations");
        for (StoredIntegration s : store.list()) {
            items.add(IntegrationJson.render(s, store.subscriptions(s.id())));
        }
        AdminJson.write(ctx, 200, body);
    }

    private void get(Context ctx) throws Exception {
        StoredIntegration s = find(ctx.pathParam("id"));
        AdminJson.write(ctx, 200, IntegrationJson.render(s, store.subscriptions(s.id())));
    }

    private void patch(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        StoredIntegration before = find(id);
        IntegrationPatch patch = IntegrationJson.patch(AdminJson.readObject(ctx, false));
        if (patch.endpoint() != null && !patch.endpoint().trim().equals(before.endpoint())) {
            // the stored key must never travel to a place its owner did not send it: a new endpoint needs the key again
            if (patch.apiKey() == null) {
                throw AdminError.badRequest("changing the endpoint needs the SendGrid api_key in the same request");
            }
            allowed(patch.endpoint());
        }
        StoredIntegration s = store.update(id, patch).orElseThrow(() -> missing(id));
        AdminJson.write(ctx, 200, IntegrationJson.render(s, store.subscriptions(id)));
    }

    private void delete(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        boolean force = "true".equalsIgnoreCase(ctx.queryParam("force"));
        long waiting = force ? store.waitingJobs(id) : 0;
        if (!store.delete(id, force)) {
            throw missing(id);
        }
        AdminJson.write(ctx, 200, AdminJson.MAPPER.createObjectNode().put("id", id).put("deleted", true)
                .put("dead_lettered_jobs", waiting));
    }

    private void test(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        find(id);
        AdminJson.write(ctx, 200, CredentialsCheck.run(store.toCore(id), store.apiKey(id), clients));
    }

    private void allowed(String endpoint) {
        try {
            endpoints.checkSendGrid(endpoint);
        } catch (IllegalArgumentException e) {
            throw AdminError.badRequest(e.getMessage());
        }
    }

    private StoredIntegration find(String id) {
        return store.get(id).orElseThrow(() -> missing(id));
    }

    static AdminError missing(String id) {
        return AdminError.notFound("no integration with id '" + id + "'; GET /v1/admin/integrations lists them");
    }
}
