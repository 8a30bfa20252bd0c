package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.fields.FieldDefinition;
import io.gridsync.emulator.fields.FieldType;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Search by emails and identifiers, get by id, batch, count and the sample. */
class ContactsReadTest extends ContactsTestSupport {

    @Test
    void searchByEmailsAnswersPerAddressAnd404WhenNoneMatch() {
        start();
        upsertAndWait(upsertBody(null, contact("one@example.com"), contact("two@example.com")));

        SendGridHttp.Response r = sg.post("/v3/marketing/contacts/search/emails",
                "{\"emails\":[\"ONE@example.com\",\"missing@example.com\",\"\"]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("result").size()).isEqualTo(2);
        assertThat(r.json().at("/result/one@example.com/contact/email").asText()).isEqualTo("one@example.com");
        assertThat(r.json().at("/result/missing@example.com/error").asText()).isEqualTo("contact not found");

        SendGridHttp.Response none = sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"nobody@example.com\"]}");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().at("/errors/0/message").asText()).isNotEmpty();
        sg.assertConforms();
    }

    @Test
    void searchByEmailsRejectsInvalidAddressesAndMoreThan100() {
        start();
        SendGridHttp.Response invalid = sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"ok@example.com\",\"nope\"]}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(firstErrorField(invalid)).isEqualTo("emails[1]");

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add("p" + i + "@example.com");
        }
        ObjectNode body = MAPPER.createObjectNode();
        many.forEach(body.putArray("emails")::add);
        SendGridHttp.Response tooMany = sg.post("/v3/marketing/contacts/search/emails", body);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/errors/0/message").asText()).contains("at most 100");

        assertThat(sg.post("/v3/marketing/contacts/search/emails", "{}").status()).isEqualTo(400);
        sg.assertConforms();
    }

    @Test
    void searchByIdentifiersCoversEveryIdentifierType() {
        start();
        upsertAndWait(upsertBody(null,
                contact("Mixed@Example.com").put("phone_number_id", "+14155550100").put("external_id", "crm-1")
                        .put("anonymous_id", "anon-1")));

        for (String[] q : new String[][]{{"email", "MIXED@example.com", "mixed@example.com"},
                {"phone_number_id", "+14155550100", "+14155550100"}, {"external_id", "crm-1", "crm-1"},
                {"anonymous_id", "anon-1", "anon-1"}}) {
            SendGridHttp.Response r = sg.post("/v3/marketing/contacts/search/identifiers/" + q[0],
                    "{\"identifiers\":[\"" + q[1] + "\",\"unknown-value\"]}".replace("unknown-value",
                            q[0].equals("email") ? "nobody@example.com" : "unknown-value"));
            assertThat(r.status()).as(q[0] + ": " + r.text()).isEqualTo(200);
            assertThat(r.json().at("/result/" + q[2].replace("/", "~1") + "/contact/external_id").asText()).isEqualTo("crm-1");
        }

        SendGridHttp.Response none = sg.post("/v3/marketing/contacts/search/identifiers/external_id", "{\"identifiers\":[\"crm-404\"]}");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().get("message").asText()).isEqualTo("no contacts found");

        SendGridHttp.Response badType = sg.post("/v3/marketing/contacts/search/identifiers/user_id", "{\"identifiers\":[\"x\"]}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().get("message").asText()).contains("unknown identifier type user_id");
        assertThat(badType.json().at("/errors/0/field").asText()).isEqualTo("identifier_type");

        StringBuilder many = new StringBuilder("{\"identifiers\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("\"id").append(i).append('"');
        }
        SendGridHttp.Response tooMany = sg.post("/v3/marketing/contacts/search/identifiers/external_id", many.append("]}").toString());
        assertThat(tooMany.status()).isEqualTo(400);
        sg.assertConforms();
    }

    @Test
    void getByIdShowsEveryFieldAndCustomFieldsByName() {
        start();
        FieldDefinition pet = emulator.fields().create("pet", FieldType.Text);
        ObjectNode c = contact("full@example.com").put("first_name", "Fay").put("postal_code", "0150");
        c.putObject("custom_fields").put(pet.id(), "cat");
        upsertAndWait(upsertBody(null, c));
        String id = contactByEmail("full@example.com").get("id").asText();

        SendGridHttp.Response r = sg.get("/v3/marketing/contacts/" + id);
        assertThat(r.status()).isEqualTo(200);
        JsonNode got = r.json();
        assertThat(got.get("id").asText()).isEqualTo(id);
        assertThat(got.get("postal_code").asText()).isEqualTo("0150");
        assertThat(got.get("last_name").asText()).isEmpty();
        assertThat(got.get("list_ids").isArray()).isTrue();
        assertThat(got.get("segment_ids").isArray()).isTrue();
        assertThat(got.at("/custom_fields/pet").asText()).isEqualTo("cat");
        assertThat(got.at("/_metadata/self").asText()).isEqualTo(emulator.baseUrl() + "/v3/marketing/contacts/" + id);

        assertThat(sg.get("/v3/marketing/contacts/9b1c4e0e-0000-4000-8000-000000000000").status()).isEqualTo(404);
        sg.assertConforms();
    }

    @Test
    void batchReturnsTheContactsFoundAnd404WhenNone() {
        start();
        upsertAndWait(upsertBody(null, contact("b1@example.com"), contact("b2@example.com")));
        String id1 = contactByEmail("b1@example.com").get("id").asText();
        String id2 = contactByEmail("b2@example.com").get("id").asText();

        SendGridHttp.Response r = sg.post("/v3/marketing/contacts/batch", "{\"ids\":[\"" + id2 + "\",\"nope\",\"" + id1 + "\"]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("result")).extracting(n -> n.get("email").asText()).containsExactly("b2@example.com", "b1@example.com");

        assertThat(sg.post("/v3/marketing/contacts/batch", "{\"ids\":[\"nope\"]}").status()).isEqualTo(404);
        sg.assertConforms();
        // SendGrid's file lists no 400 for this endpoint, but a body of the wrong shape gets one (docs/emulator/contacts.md)
        SendGridHttp unchecked = sg.withKey("SG.test");
        assertThat(unchecked.post("/v3/marketing/contacts/batch", "{\"ids\":\"nope\"}").status()).isEqualTo(400);
        assertThat(unchecked.violations()).containsExactly("POST /v3/marketing/contacts/batch: status 400 is not documented in tsg_mc_contacts_v3.json");
    }

    @Test
    void countAndSampleOfAtMost50SortedByEmail() {
        start();
        ObjectNode[] contacts = new ObjectNode[60];
        for (int i = 0; i < 60; i++) {
            contacts[i] = contact(String.format("s%02d@example.com", 59 - i));
        }
        upsertAndWait(upsertBody(null, contacts));

        SendGridHttp.Response count = sg.get("/v3/marketing/contacts/count");
        assertThat(count.status()).isEqualTo(200);
        assertThat(count.json().get("contact_count").asInt()).isEqualTo(60);
        assertThat(count.json().get("billable_count").asInt()).isEqualTo(60);

        SendGridHttp.Response sample = sg.get("/v3/marketing/contacts");
        assertThat(sample.status()).isEqualTo(200);
        assertThat(sample.json().get("contact_count").asInt()).isEqualTo(60);
        List<String> emails = new ArrayList<>();
        sample.json().get("result").forEach(n -> emails.add(n.get("email").asText()));
        assertThat(emails).hasSize(50).isSorted().doesNotHaveDuplicates();
        sg.assertConforms();
    }
}
