package io.gridsync.core.action.upsertcontact;

import io.gridsync.core.action.ActionField;

import java.util.List;

import static io.gridsync.core.action.FieldDefaults.of;
import static io.gridsync.core.action.FieldDefaults.path;
import static io.gridsync.core.action.FieldDefaults.string;
import static io.gridsync.core.action.FieldDefaults.traitsElseProps;

/** The fields of Upsert Contact, with the keys, labels and defaults of Segment's SendGrid destination. */
final class UpsertContactFields {

    private UpsertContactFields() {}

    static final List<ActionField> ALL = List.of(
            of("enable_batching", "Batch Data to SendGrid Contacts PUT API", "boolean", false,
                    "Kept for Segment users: gridsync always batches, up to 30,000 contacts per request.",
                    com.fasterxml.jackson.databind.node.BooleanNode.TRUE),
            string("first_name", "First Name", "The contact's first name.", traitsElseProps("first_name")),
            string("last_name", "Last Name", "The contact's last name.", traitsElseProps("last_name")),
            string("country", "Country", "The contact's country.", traitsElseProps("address.country")),
            string("postal_code", "Postal Code", "The contact's postal code.", traitsElseProps("address.postal_code")),
            string("city", "City", "The contact's city.", traitsElseProps("address.city")),
            string("state", "State", "The contact's state, province or region (sent as state_province_region).",
                    traitsElseProps("address.state")),
            string("address_line_1", "Address Line 1", "The first line of the contact's address.", traitsElseProps("address.line1")),
            string("address_line_2", "Address Line 2", "The second line of the contact's address.", traitsElseProps("address.line2")),
            string("phone_number", "Phone Number", "The contact's phone number (not an identifier).", traitsElseProps("phone")),
            string("whatsapp", "WhatsApp", "The contact's WhatsApp.", traitsElseProps("whatsapp")),
            string("line", "Line", "The contact's Line.", traitsElseProps("line")),
            string("facebook", "Facebook", "The contact's Facebook identifier.", traitsElseProps("facebook")),
            string("unique_name", "Unique Name", "The contact's unique name.", traitsElseProps("unique_name")),
            string("primary_email", "Email Address", "The contact's email (an identifier; stored lower-case).", traitsElseProps("email")),
            string("phone_number_id", "Phone Number ID",
                    "A phone number in E.164 that identifies the contact (an identifier).", traitsElseProps("phone")),
            string("external_id", "External ID", "An id from your systems (an identifier).", traitsElseProps("external_id")),
            string("anonymous_id", "Anonymous ID", "An anonymous id (an identifier).", path("$.anonymousId")),
            of("customFields", "Other Fields", "object", false,
                    "Custom fields by SendGrid field id (e1_T) or name (case-insensitive); they must exist in SendGrid.", null),
            of("list_ids", "List IDs", "string", true,
                    "Lists to add the contact to, besides the integration's default list.", null));
}
