package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.fields.FieldDefinition;
import io.gridsync.emulator.fields.FieldStore;
import io.gridsync.emulator.http.Json;

import java.util.Optional;

/**
 * A contact in SendGrid's {@code contact-details3} shape: every reserved text field present
 * ({@code ""} when unset, as SendGrid answers), identifiers only when set, {@code custom_fields}
 * keyed by field name (SendGrid keys them by id on write and by name on read), and
 * {@code _metadata.self}.
 */
final class ContactJson {

    private ContactJson() {}

    static ObjectNode render(Contact c, FieldStore fields, String baseUrl) {
        ObjectNode o = Json.object();
        o.put("id", c.id);
        for (ContactField f : ContactField.ALL) {
            String v = c.get(f);
            if (v != null) {
                o.put(f.json, v);
            } else if (!f.isIdentifier()) {
                o.put(f.json, "");
            }
        }
        ArrayNode alternates = o.putArray("alternate_emails");
        for (String a : c.alternateEmails()) {
            alternates.add(a);
        }
        ArrayNode lists = o.putArray("list_ids");
        for (String l : c.listIds()) {
            lists.add(l);
        }
        o.putArray("segment_ids");
        ObjectNode custom = o.putObject("custom_fields");
        for (int i = 0; i < c.customFieldCount(); i++) {
            Optional<FieldDefinition> def = fields.byId(c.customFieldId(i));
            if (def.isPresent()) {
                putValue(custom, def.get().name(), c.customFieldValue(i));
            }
        }
        o.put("created_at", IsoTime.format(c.createdAt));
        o.put("updated_at", IsoTime.format(c.updatedAt));
        o.putObject("_metadata").put("self", baseUrl + "/v3/marketing/contacts/" + c.id);
        return o;
    }

    static void putValue(ObjectNode o, String name, Object value) {
        if (value instanceof Long l) {
            o.put(name, l);
        } else if (value instanceof Double d) {
            o.put(name, d);
        } else {
            o.put(name, value.toString());
        }
    }
}
