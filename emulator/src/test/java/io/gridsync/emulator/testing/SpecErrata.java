package io.gridsync.emulator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where SendGrid's OpenAPI files contradict SendGrid's documented, observed behaviour, the validator
 * is told the real behaviour here, each with its source, so conformance checks stay meaningful:
 * <ul>
 *   <li>Mail Send errors carry {@code help} as a URL string, e.g.
 *       {@code "help":"http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to"}
 *       (responses quoted in sendgrid-ruby#467, sendgrid-nodejs#1425, sendgrid-java#448); the file types it as an object.</li>
 *   <li>Mail Send answers 200 with an empty body in sandbox mode ("200 OK: Your message is valid, but it is
 *       not queued to be delivered. Sandbox mode only." in SendGrid's Mail Send error reference); the file lists 202 only.</li>
 * </ul>
 */
final class SpecErrata {

    private SpecErrata() {}

    static void apply(String fileName, JsonNode doc) {
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
