package io.gridsync.server.erasure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.admin.AdminError;
import io.gridsync.server.admin.AdminJson;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

import static io.gridsync.server.admin.AdminJson.guard;

/**
 * {@code POST /v1/admin/erasures} (erase a person by any identifier), {@code GET /v1/admin/erasures/{id}}
 * (progress and outcome) and {@code GET /v1/admin/erasures} (the latest). Behind the admin token like
 * every {@code /v1/admin} route. No answer ever holds an identifier: only their hashes and counts.
 */
final class ErasureApi {

    static final Set<String> FIELDS;

    static {
        Set<String> f = new HashSet<>(Identifier.TYPES);
        f.add("sendgrid_erase_job");
        FIELDS = Set.copyOf(f);
    }

    private static final int MAX_IDENTIFIER_CHARS = 1000;

    private final Erasures erasures;

    ErasureApi(Erasures erasures) {
        this.erasures = erasures;
    }

    void register(Javalin app) {
        app.post("/v1/admin/erasures", guard(this::create));
        app.get("/v1/admin/erasures", guard(this::list));
        app.get("/v1/admin/erasures/{id}", guard(this::get));
    }

    private void create(Context ctx) throws Exception {
        ObjectNode body = AdminJson.readObject(ctx, false);
        AdminJson.onlyKnown(body, "", FIELDS);
        Set<Identifier> ids = new LinkedHashSet<>();
        for (String type : Identifier.TYPES) {
            String v = AdminJson.text(body, type, "");
            if (v == null) {
                continue;
            }
            if (v.isBlank() || v.length() > MAX_IDENTIFIER_CHARS) {
                throw AdminError.badRequest(type + " must be 1 to " + MAX_IDENTIFIER_CHARS + " characters");
            }
            if (type.equals("email") && !v.contains("@")) {
                throw AdminError.badRequest("email must be an email address such as ada@example.com");
            }
            ids.add(new Identifier(type, v));
        }
        if (ids.isEmpty()) {
            throw AdminError.badRequest("name the person: send at least one of " + Identifier.TYPES);
        }
        Boolean eraseJob = AdminJson.bool(body, "sendgrid_erase_job", "");
        ErasureRecord r = erasures.request(ids, eraseJob != null && eraseJob);
        ctx.header("Location", "/v1/admin/erasures/" + r.id());
        AdminJson.write(ctx, 202, json(r));
    }

    private void get(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        ErasureRecord r = erasures.store().get(id).orElseThrow(() -> AdminError.notFound("no erasure " + id
                + "; GET /v1/admin/erasures lists the latest"));
        AdminJson.write(ctx, 200, json(r));
    }

    private void list(Context ctx) throws Exception {
        ObjectNode out = AdminJson.MAPPER.createObjectNode();
        ArrayNode items = out.putArray("erasures");
        erasures.store().recent(100).forEach(r -> items.add(json(r)));
        AdminJson.write(ctx, 200, out);
    }

    static ObjectNode json(ErasureRecord r) {
        ObjectNode o = AdminJson.MAPPER.createObjectNode();
        o.put("id", r.id());
        o.put("status", r.status());
        o.put("sendgrid_erase_job", r.sendgridEraseJob());
        ArrayNode hashes = o.putArray("identifier_hashes");
        r.identifierHashes().forEach(hashes::add);
        ObjectNode counts = o.putObject("counts");
        r.counts().forEach(counts::put);
        ArrayNode errors = o.putArray("errors");
        r.errors().forEach(errors::add);
        o.put("attempts", r.attempts());
        o.put("created_at", Instant.ofEpochMilli(r.createdAt()).toString());
        o.put("updated_at", Instant.ofEpochMilli(r.updatedAt()).toString());
        if (r.finishedAt() == null) {
            o.putNull("finished_at");
            o.put("next_attempt_at", Instant.ofEpochMilli(r.nextAt()).toString());
        } else {
            o.put("finished_at", Instant.ofEpochMilli(r.finishedAt()).toString());
        }
        return o;
    }
}
