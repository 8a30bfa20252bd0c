package io.gridsync.core.action.sendemail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.ActionField;

import java.util.List;

import static io.gridsync.core.action.FieldDefaults.of;
import static io.gridsync.core.action.FieldDefaults.path;
import static io.gridsync.core.action.FieldDefaults.required;

/** The fields of Send Email with Dynamic Template, as Segment's SendGrid destination names them. */
final class SendEmailFields {

    private SendEmailFields() {}

    static final List<ActionField> ALL = List.of(
            of("domain", "Validated Domain", "string", false,
                    "Your SendGrid-validated sending domain; the From address must belong to it.", null),
            required("from", "From", "object", "The sender: {email, name}.", null),
            required("to", "To", "object", "The recipient: {email, name}.", to()),
            of("cc", "CC", "object", true, "Recipients to copy: [{email, name}].", null),
            of("bcc", "BCC", "object", true, "Recipients to blind-copy: [{email, name}].", null),
            of("headers", "Headers", "object", false, "Extra headers; SendGrid's reserved headers are refused.", null),
            of("dynamic_template_data", "Dynamic Template Data", "object", false,
                    "Values for the template's {{handlebars}} in subject and content.", null),
            required("template_id", "Dynamic Template", "string", "A dynamic template id (starts with d-).", null),
            of("custom_args", "Custom Args", "object", false, "Key/values echoed back in Event Webhook events.", null),
            of("send_at", "Send At", "datetime", false, "ISO 8601; at most 72 hours ahead.", null),
            of("reply_to", "Reply To", "object", false, "{email, name}; each part falls back to From's.", null),
            of("categories", "Categories", "string", true, "Up to 10 unique categories of up to 255 characters.", null),
            of("ip_pool_name", "IP Pool", "string", false, "The IP pool to send from (2 to 64 characters).", null),
            of("group_id", "Group ID", "string", false, "The unsubscribe group (an integer id).", null),
            of("sandbox_mode", "Sandbox Mode", "boolean", false,
                    "Validate with SendGrid without sending (SendGrid answers 200).", null));

    private static JsonNode to() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("email", path("$.properties.email"));
        o.set("name", path("$.properties.name"));
        return o;
    }
}
