package io.gridsync.core.action.syncaudience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.ActionField;

import java.util.List;

import static io.gridsync.core.action.FieldDefaults.ifExists;
import static io.gridsync.core.action.FieldDefaults.of;
import static io.gridsync.core.action.FieldDefaults.path;
import static io.gridsync.core.action.FieldDefaults.required;
import static io.gridsync.core.action.FieldDefaults.string;
import static io.gridsync.core.action.FieldDefaults.traitsElseProps;

/** The fields of Sync Audience, as Segment's "SendGrid Lists (Actions)" destination names them. */
final class SyncAudienceFields {

    private SyncAudienceFields() {}

    static final List<ActionField> ALL = List.of(
            required("segment_computation_action", "Segment Computation Class", "string",
                    "audience or journey_step; other messages are not audience changes.", path("$.context.personas.computation_class")),
            string("external_audience_id", "Audience ID", "The SendGrid list id, when the audience already has one.",
                    path("$.context.personas.external_audience_id")),
            required("segment_audience_key", "Audience Key", "string", "The audience's key; membership is traits/properties[key].",
                    path("$.context.personas.computation_key")),
            string("list_name", "List Name", "Name of the SendGrid list; defaults to the audience key.",
                    path("$.context.personas.audience_settings.listName")),
            required("traits_or_props", "Traits or properties object", "object", "Where membership true/false is read.",
                    ifExists(path("$.properties"), path("$.properties"), path("$.traits"))),
            required("identifiers", "Contact Identifiers", "object",
                    "email, anonymous_id, external_id, phone_number_id (E.164); at least one.", identifiers()),
            of("user_attributes", "User Attributes", "object", false,
                    "first_name, last_name, phone_number, address and location fields.", userAttributes()),
            of("custom_text_fields", "Custom Text Fields", "object", false, "Text custom fields by name.", null),
            of("custom_number_fields", "Custom Number Fields", "object", false, "Number custom fields by name.", null),
            of("custom_date_fields", "Custom Date Fields", "object", false, "Date custom fields by name (ISO 8601).", null),
            of("enable_batching", "Batch events", "boolean", false, "Kept for Segment users: gridsync always batches.",
                    com.fasterxml.jackson.databind.node.BooleanNode.TRUE),
            of("batch_size", "Max batch size", "number", false,
                    "Kept for Segment users: gridsync batches to SendGrid's own limits.", IntNode.valueOf(100)));

    private static JsonNode identifiers() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("email", ifExists(path("$.traits.email"), path("$.traits.email"), path("$.context.traits.email")));
        return o;
    }

    private static JsonNode userAttributes() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("first_name", traitsElseProps("first_name"));
        o.set("last_name", traitsElseProps("last_name"));
        o.set("phone_number", traitsElseProps("phone"));
        o.set("address_line_1", traitsElseProps("street"));
        o.set("address_line_2", traitsElseProps("address_line_2"));
        o.set("city", traitsElseProps("city"));
        o.set("state_province_region", traitsElseProps("state"));
        o.set("country", traitsElseProps("country"));
        o.set("postal_code", traitsElseProps("postal_code"));
        return o;
    }
}
