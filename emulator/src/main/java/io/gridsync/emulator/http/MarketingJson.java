package io.gridsync.emulator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * Request bodies and errors for the Marketing Campaigns and template endpoints. Their OpenAPI error
 * schemas type {@code field} as a string, and SendGrid answers a problem with the body as a whole
 * (malformed JSON, not an object) with {@code "field": ""} rather than null; this does the same.
 */
public final class MarketingJson {

    private MarketingJson() {}

    /** The body as a JSON object; malformed JSON or another JSON type is a 400 with {@code field: ""}. */
    public static ObjectNode bodyObject(Context ctx) {
        try {
            return Json.bodyObject(ctx);
        } catch (ApiError e) {
            throw withStringFields(e);
        }
    }

    /** The same error with every null {@code field} replaced by an empty string. */
    public static ApiError withStringFields(ApiError e) {
        List<ApiError.FieldError> fixed = new ArrayList<>();
        for (ApiError.FieldError fe : e.errors()) {
            fixed.add(new ApiError.FieldError(fe.field() == null ? "" : fe.field(), fe.message()));
        }
        return new ApiError(e.status(), fixed);
    }

    /** An optional boolean query parameter; anything but {@code true}/{@code false} is a 400. */
    public static boolean queryFlag(Context ctx, String name, boolean defaultValue) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiError.badRequest(name, name + " must be true or false, got '" + v + "'");
    }
}
