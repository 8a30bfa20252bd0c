package io.gridsync.emulator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the emulator answers differently from SendGrid's OpenAPI files on purpose, because the file
 * is wrong or silent about SendGrid's real behaviour. Two kinds, both written down for users in
 * docs/emulator/*.md:
 * <ul>
 *   <li>{@link #patch}: the document is corrected before validation, where SendGrid's documented,
 *       observed behaviour contradicts a schema (Mail Send's {@code help} is a URL string, as in
 *       responses quoted in sendgrid-ruby#467, sendgrid-nodejs#1425, sendgrid-java#448; sandbox mode
 *       answers 200 per SendGrid's Mail Send error reference);</li>
 *   <li>{@link #isKnown}: narrow matches for validator messages the emulator answers on purpose.</li>
 * </ul>
 * Anything else still fails {@link SendGridHttp#assertConforms()}.
 */
public final class SpecDepartures {

    private record Departure(Pattern violation, String why) {}

    private static final List<Departure> ALL = List.of(
            // Statuses the files leave out; the body is SendGrid's usual {"errors":[{"field","message"}]}.
            undocumented("GET", "/v3/marketing/lists", 400, "bad page_size or page_token"),
            undocumented("DELETE", "/v3/marketing/lists/{id}", 400, "delete_contacts neither true nor false"),
            undocumented("GET", "/v3/marketing/segments/2.0/{segment_id}", 404, "unknown segment"),
            undocumented("PATCH", "/v3/marketing/segments/2.0/{segment_id}", 404, "unknown segment"),
            undocumented("GET", "/v3/marketing/singlesends", 400, "bad page_size or page_token"),
            undocumented("POST", "/v3/marketing/singlesends/search", 400, "bad filter or paging"),
            undocumented("GET", "/v3/suppression/bounces", 400, "limit, offset, start_time or end_time not an integer in range"),
            undocumented("POST", "/v3/marketing/senders", 400, "a required field missing or of the wrong type"),
            undocumented("POST", "/v3/templates", 400, "bad name or generation, or 300 templates"),
            undocumented("GET", "/v3/templates/{template_id}", 404, "unknown template"),
            undocumented("PATCH", "/v3/templates/{template_id}", 400, "bad name"),
            undocumented("PATCH", "/v3/templates/{template_id}", 404, "unknown template"),
            undocumented("DELETE", "/v3/templates/{template_id}", 404, "unknown template"),
            undocumented("POST", "/v3/templates/{template_id}/versions", 400, "bad version, or 300 versions"),
            undocumented("POST", "/v3/templates/{template_id}/versions", 404, "unknown template"),
            undocumented("GET", "/v3/templates/{template_id}/versions/{version_id}", 404, "unknown template or version"),
            undocumented("POST", "/v3/templates/{template_id}/versions/{version_id}/activate", 404,
                    "unknown template or version"),
            // Schemas that contradict the file's own descriptions or SendGrid's documented behaviour.
            new Departure(Pattern.compile(Pattern.quote("tsg_mc_lists_v3.json/paths/~1v3~1marketing~1lists~1{id}/get/responses/404/")
                    + ".*: : object found, array expected"),
                    "the file types this 404 as a bare array; the emulator answers {\"errors\":[...]} like every other 404"),
            new Departure(Pattern.compile(Pattern.quote("tsg_mc_segments_2.0_v3.json/paths/~1v3~1marketing~1segments~12.0/get/responses/200/")
                    + ".*: : required property '[a-z_]+' not found"),
                    "the file types the list as one segment; its description says {\"results\":[...]}, which the "
                            + "emulator answers, each item checked against AllSegments200 by the tests"),
            new Departure(Pattern.compile(Pattern.quote("tsg_templates_v3.json/paths/")
                    + "[^ ]*: (/result/\\d+)?/id: must be at least 36 characters long"),
                    "dynamic template ids are d- and 32 hex digits (34 characters), as SendGrid issues them; "
                            + "the file only knows legacy UUIDs"));

    private SpecDepartures() {}

    private static Departure undocumented(String method, String template, int status, String when) {
        return new Departure(Pattern.compile(Pattern.quote(method + " " + template + ": status " + status
                + " is not documented in ") + "tsg_[a-z0-9_.]+\\.json"), status + " when " + when);
    }

    /** Whether a validator message is one of the departures the emulator makes on purpose. */
    static boolean isKnown(String violation) {
        return ALL.stream().anyMatch(d -> d.violation().matcher(violation).matches());
    }

    /** Corrects a spec document where it contradicts SendGrid's real behaviour, in place. */
    static void patch(String fileName, JsonNode doc) {
        if (!fileName.equals("tsg_mail_v3.json")) {
            return;
        }
        JsonNode help = doc.at("/components/schemas/ErrorResponse/properties/errors/items/properties/help");
        if (help instanceof ObjectNode h) {
            ArrayNode types = h.putArray("type");
            types.add("object");
            types.add("string");
            types.add("null");
        }
        JsonNode responses = doc.at("/paths/~1v3~1mail~1send/post/responses");
        if (responses instanceof ObjectNode r && !r.has("200")) {
            r.putObject("200").put("description", "Sandbox mode: the request is valid and nothing is sent.");
        }
    }
}
