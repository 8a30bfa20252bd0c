package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.fields.FieldDefinition;
import io.gridsync.emulator.fields.FieldType;
import io.gridsync.emulator.lists.ContactList;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PUT /v3/marketing/contacts: the synchronous 400s, and what the asynchronous job does with each row. */
class ContactsUpsertTest extends ContactsTestSupport {

    @Test
    void upsertIsProcessedAsynchronouslyAndTheEmailIsStoredLowerCase() {
        start();
        String jobId = upsert(upsertBody(null, contact("Jane.Doe@Example.COM").put("first_name", "Jane")));

        JsonNode job = awaitJob(jobId);
        assertThat(job.get("id").asText()).isEqualTo(jobId);
        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.get("job_type").asText()).isEqualTo("upsert");
        assertThat(job.at("/results/requested_count").asInt()).isEqualTo(1);
        assertThat(job.at("/results/created_count").asInt()).isEqualTo(1);
        assertThat(job.at("/results/updated_count").asInt()).isZero();
        assertThat(job.at("/results/errored_count").asInt()).isZero();
        assertThat(job.at("/results").has("errors_url")).isFalse();
        assertThat(job.get("started_at").asText()).isNotEmpty();
        assertThat(job.get("finished_at").asText()).isNotEmpty();

        SendGridHttp.Response found = sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"JANE.DOE@example.com\"]}");
        assertThat(found.status()).isEqualTo(200);
        JsonNode c = found.json().at("/result/jane.doe@example.com/contact");
        assertThat(c.get("email").asText()).isEqualTo("jane.doe@example.com");
        assertThat(c.get("first_name").asText()).isEqualTo("Jane");
        assertThat(c.get("id").asText()).hasSize(36);
        assertThat(c.get("created_at").asText()).isEqualTo(c.get("updated_at").asText()).endsWith("Z");
        sg.assertConforms();
    }

    @Test
    void theJobStaysPendingUntilTheImportDelayHasPassed() {
        start(new EmulatorConfig().importDelayMillis(3_600_000));
        String jobId = upsert(upsertBody(null, contact("later@example.com")));

        SendGridHttp.Response status = sg.get("/v3/marketing/contacts/imports/" + jobId);
        assertThat(status.json().get("status").asText()).isEqualTo("pending");
        assertThat(status.json().at("/results/requested_count").asInt()).isEqualTo(1);
        assertThat(status.json().has("finished_at")).isFalse();
        assertThat(sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"later@example.com\"]}").status()).isEqualTo(404);
        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isZero();
        sg.assertConforms();
    }

    @Test
    void anUnknownJobIdIs404() {
        start();
        SendGridHttp.Response r = sg.get("/v3/marketing/contacts/imports/00000000-0000-0000-0000-000000000000");
        assertThat(r.status()).isEqualTo(404);
        sg.assertConforms();
    }

    @Test
    void malformedJsonAndMissingOrEmptyContactsAre400() {
        start();
        SendGridHttp.Response malformed = sg.put("/v3/marketing/contacts", "{\"contacts\": [");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/errors/0/message").asText()).contains("invalid JSON");

        SendGridHttp.Response missing = sg.put("/v3/marketing/contacts", "{\"list_ids\": []}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(firstErrorField(missing)).isEqualTo("contacts");

        SendGridHttp.Response empty = sg.put("/v3/marketing/contacts", "{\"contacts\": []}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(firstErrorField(empty)).isEqualTo("contacts");

        SendGridHttp.Response notArray = sg.put("/v3/marketing/contacts", "{\"contacts\": {\"email\": \"a@b.co\"}}");
        assertThat(notArray.status()).isEqualTo(400);
        assertThat(allMessages(notArray)).contains("must be an array");
        sg.assertConforms();
    }

    @Test
    void aContactWithoutIdentifierAndAnInvalidEmailAreNamedByIndex() {
        start();
        ObjectNode body = upsertBody(null,
                contact("ok1@example.com"),
                MAPPER.createObjectNode().put("first_name", "Nobody"),
                contact("ok2@example.com"),
                contact("not-an-email"));
        SendGridHttp.Response r = sg.put("/v3/marketing/contacts", body);
        assertThat(r.status()).isEqualTo(400);
        String messages = allMessages(r);
        assertThat(messages).contains("contacts[1]: ").contains("no identifier");
        assertThat(messages).contains("contacts[3].email: ").contains("invalid email address \"not-an-email\"");
        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isZero();
        sg.assertConforms();
    }

    @Test
    void duplicateEmailsInOneRequestAre400EvenWhenTheirCaseDiffers() {
        start();
        SendGridHttp.Response r = sg.put("/v3/marketing/contacts",
                upsertBody(null, contact("Dup@Example.com"), contact("other@example.com"), contact("dup@example.COM")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(firstErrorField(r)).isEqualTo("contacts[2].email");
        assertThat(r.json().at("/errors/0/message").asText()).contains("duplicate email").contains("contacts[0]");

        SendGridHttp.Response ext = sg.put("/v3/marketing/contacts", upsertBody(null,
                MAPPER.createObjectNode().put("external_id", "x1"), MAPPER.createObjectNode().put("external_id", "x1")));
        assertThat(ext.status()).isEqualTo(400);
        assertThat(firstErrorField(ext)).isEqualTo("contacts[1].external_id");
        sg.assertConforms();
    }

    @Test
    void unknownListsUnknownCustomFieldsReservedFieldsAndWrongTypesAre400() {
        start();
        FieldDefinition color = emulator.fields().create("favorite_color", FieldType.Text);

        SendGridHttp.Response list = sg.put("/v3/marketing/contacts",
                upsertBody(List.of("8f0fbd4c-5f2a-4f59-9c1c-4bb9b1c6f6a1"), contact("a@example.com")));
        assertThat(list.status()).isEqualTo(400);
        assertThat(firstErrorField(list)).isEqualTo("list_ids[0]");
        assertThat(allMessages(list)).contains("does not exist");

        ObjectNode unknownField = contact("a@example.com");
        unknownField.putObject("custom_fields").put("w9_T", "x");
        SendGridHttp.Response custom = sg.put("/v3/marketing/contacts", upsertBody(null, unknownField));
        assertThat(custom.status()).isEqualTo(400);
        assertThat(firstErrorField(custom)).isEqualTo("contacts[0].custom_fields.w9_T");
        assertThat(allMessages(custom)).contains("unknown custom field id w9_T");

        ObjectNode byName = contact("a@example.com");
        byName.putObject("custom_fields").put("favorite_color", "blue");
        SendGridHttp.Response name = sg.put("/v3/marketing/contacts", upsertBody(null, byName));
        assertThat(name.status()).isEqualTo(400);
        assertThat(allMessages(name)).contains("keyed by field id").contains(color.id());

        ObjectNode reserved = contact("a@example.com");
        reserved.putObject("custom_fields").put("first_name", "Jane");
        SendGridHttp.Response res = sg.put("/v3/marketing/contacts", upsertBody(null, reserved));
        assertThat(res.status()).isEqualTo(400);
        assertThat(allMessages(res)).contains("first_name is a reserved field");

        SendGridHttp.Response withId = sg.put("/v3/marketing/contacts",
                upsertBody(null, contact("a@example.com").put("id", "c0ffee00-0000-0000-0000-000000000000")));
        assertThat(withId.status()).isEqualTo(400);
        assertThat(firstErrorField(withId)).isEqualTo("contacts[0].id");
        assertThat(allMessages(withId)).contains("ID cannot be used to update");

        ObjectNode created = contact("a@example.com").put("created_at", "2020-01-01T00:00:00Z");
        SendGridHttp.Response readOnly = sg.put("/v3/marketing/contacts", upsertBody(null, created));
        assertThat(readOnly.status()).isEqualTo(400);
        assertThat(firstErrorField(readOnly)).isEqualTo("contacts[0].created_at");

        ObjectNode wrongType = contact("a@example.com");
        wrongType.put("first_name", 42);
        wrongType.putArray("alternate_emails").add("x@example.com").add(7);
        SendGridHttp.Response type = sg.put("/v3/marketing/contacts", upsertBody(null, wrongType));
        assertThat(type.status()).isEqualTo(400);
        assertThat(allMessages(type)).contains("contacts[0].first_name: contacts[0].first_name must be a string")
                .contains("contacts[0].alternate_emails[1]");

        ObjectNode tooLong = contact("a@example.com").put("first_name", "x".repeat(51));
        SendGridHttp.Response length = sg.put("/v3/marketing/contacts", upsertBody(null, tooLong));
        assertThat(length.status()).isEqualTo(400);
        assertThat(allMessages(length)).contains("longer than 50 characters");

        SendGridHttp.Response phone = sg.put("/v3/marketing/contacts",
                upsertBody(null, MAPPER.createObjectNode().put("phone_number_id", "call me")));
        assertThat(phone.status()).isEqualTo(400);
        assertThat(allMessages(phone)).contains("invalid phone number");

        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isZero();
        sg.assertConforms();
    }

    @Test
    void moreThan30000ContactsAre400() {
        start();
        StringBuilder b = new StringBuilder("{\"contacts\":[");
        for (int i = 0; i < 30_001; i++) {
            b.append(i == 0 ? "" : ",").append("{\"email\":\"c").append(i).append("@example.com\"}");
        }
        SendGridHttp.Response r = sg.put("/v3/marketing/contacts", b.append("]}").toString());
        assertThat(r.status()).isEqualTo(400);
        assertThat(firstErrorField(r)).isEqualTo("contacts");
        assertThat(r.json().at("/errors/0/message").asText()).contains("30,001").contains("30,000");
        sg.assertConforms();
    }

    @Test
    void exactly30000ContactsAreAccepted() {
        start();
        StringBuilder b = new StringBuilder("{\"contacts\":[");
        for (int i = 0; i < 30_000; i++) {
            b.append(i == 0 ? "" : ",").append("{\"email\":\"c").append(i).append("@example.com\"}");
        }
        SendGridHttp.Response r = sg.put("/v3/marketing/contacts", b.append("]}").toString());
        assertThat(r.status()).isEqualTo(202);
        JsonNode job = awaitJob(r.json().get("job_id").asText());
        assertThat(job.at("/results/created_count").asInt()).isEqualTo(30_000);
        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isEqualTo(30_000);
    }

    @Test
    void aBodyOver6MbIsRejectedWithTheLimitInTheMessage() {
        start();
        FieldDefinition notes = emulator.fields().create("notes", FieldType.Text);
        String filler = "n".repeat(300);
        StringBuilder b = new StringBuilder("{\"contacts\":[");
        for (int i = 0; i < 22_000; i++) {
            b.append(i == 0 ? "" : ",").append("{\"email\":\"c").append(i).append("@example.com\",\"custom_fields\":{\"")
                    .append(notes.id()).append("\":\"").append(filler).append("\"}}");
        }
        String body = b.append("]}").toString();
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(6 * 1024 * 1024);

        SendGridHttp.Response r = sg.put("/v3/marketing/contacts", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/errors/0/message").asText()).contains("6 MB").contains("6,291,456");
        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isZero();
        sg.assertConforms();
    }

    @Test
    void anUpdateMissingAnIdentifierTheContactHasIsAnErroredRowListedInTheErrorsFile() {
        start();
        upsertAndWait(upsertBody(null, contact("both@example.com").put("external_id", "crm-1").put("first_name", "Old")));

        JsonNode job = upsertAndWait(upsertBody(null,
                contact("both@example.com").put("first_name", "New"),
                contact("fresh@example.com")));
        assertThat(job.get("status").asText()).isEqualTo("errored");
        assertThat(job.at("/results/created_count").asInt()).isEqualTo(1);
        assertThat(job.at("/results/updated_count").asInt()).isZero();
        assertThat(job.at("/results/errored_count").asInt()).isEqualTo(1);
        String errorsUrl = job.at("/results/errors_url").asText();
        assertThat(errorsUrl).startsWith(emulator.baseUrl() + "/");

        HttpResponse<byte[]> file = download(errorsUrl);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String> lines = new String(file.body(), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("\"index\",\"contact_id\",\"email\",\"phone_number_id\",\"external_id\",\"anonymous_id\",\"message\"");
        assertThat(lines.get(1)).startsWith("\"0\",,\"both@example.com\",,,,").contains("external_id").contains("all of");

        assertThat(contactByEmail("both@example.com").get("first_name").asText()).isEqualTo("Old");

        // with every identifier the update applies
        JsonNode ok = upsertAndWait(upsertBody(null, contact("both@example.com").put("external_id", "crm-1").put("first_name", "New")));
        assertThat(ok.get("status").asText()).isEqualTo("completed");
        assertThat(ok.at("/results/updated_count").asInt()).isEqualTo(1);
        assertThat(contactByEmail("both@example.com").get("first_name").asText()).isEqualTo("New");
        sg.assertConforms();
    }

    @Test
    void aContactIsMatchedByAnyIdentifierAndGainsNewOnes() {
        start();
        upsertAndWait(upsertBody(null, MAPPER.createObjectNode().put("external_id", "crm-7").put("last_name", "Smith")));

        JsonNode job = upsertAndWait(upsertBody(null, contact("Ann@Example.com").put("external_id", "crm-7")));
        assertThat(job.at("/results/updated_count").asInt()).isEqualTo(1);
        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isEqualTo(1);

        JsonNode c = contactByEmail("ann@example.com");
        assertThat(c.get("external_id").asText()).isEqualTo("crm-7");
        assertThat(c.get("last_name").asText()).isEqualTo("Smith");

        // an identifier value that differs from the contact's is not an update of it
        JsonNode changed = upsertAndWait(upsertBody(null, contact("ann@example.com").put("external_id", "crm-8")));
        assertThat(changed.get("status").asText()).isEqualTo("failed");
        assertThat(changed.at("/results/errored_count").asInt()).isEqualTo(1);
        sg.assertConforms();
    }

    @Test
    void customFieldValuesAreTypeCheckedWhenTheJobRuns() {
        start();
        FieldDefinition age = emulator.fields().create("age", FieldType.Number);
        FieldDefinition born = emulator.fields().create("born", FieldType.Date);
        FieldDefinition pet = emulator.fields().create("pet", FieldType.Text);

        ObjectNode good = contact("good@example.com");
        good.putObject("custom_fields").put(age.id(), 42).put(born.id(), "03/01/1990").put(pet.id(), "cat");
        ObjectNode isoDate = contact("iso@example.com");
        isoDate.putObject("custom_fields").put(born.id(), "1990-03-01T10:15:00Z");
        ObjectNode numberAsString = contact("bad-number@example.com");
        numberAsString.putObject("custom_fields").put(age.id(), "42");
        ObjectNode badDate = contact("bad-date@example.com");
        badDate.putObject("custom_fields").put(born.id(), "13/45/1990");
        ObjectNode textAsNumber = contact("bad-text@example.com");
        textAsNumber.putObject("custom_fields").put(pet.id(), 7);

        JsonNode job = upsertAndWait(upsertBody(null, good, isoDate, numberAsString, badDate, textAsNumber));
        assertThat(job.get("status").asText()).isEqualTo("errored");
        assertThat(job.at("/results/created_count").asInt()).isEqualTo(2);
        assertThat(job.at("/results/errored_count").asInt()).isEqualTo(3);

        String errors = new String(download(job.at("/results/errors_url").asText()).body(), StandardCharsets.UTF_8);
        assertThat(errors.lines().skip(1).toList()).satisfiesExactly(
                l -> assertThat(l).startsWith("\"2\",").contains("bad-number@example.com").contains("must be a JSON number"),
                l -> assertThat(l).startsWith("\"3\",").contains("bad-date@example.com").contains("is not a date"),
                l -> assertThat(l).startsWith("\"4\",").contains("bad-text@example.com").contains("must be a string"));

        JsonNode c = contactByEmail("good@example.com");
        assertThat(c.at("/custom_fields/age").asLong()).isEqualTo(42);
        assertThat(c.at("/custom_fields/born").asText()).isEqualTo("1990-03-01T00:00:00Z");
        assertThat(c.at("/custom_fields/pet").asText()).isEqualTo("cat");
        assertThat(contactByEmail("iso@example.com").at("/custom_fields/born").asText()).isEqualTo("1990-03-01T10:15:00Z");
        assertThat(sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"bad-date@example.com\"]}").status()).isEqualTo(404);
        sg.assertConforms();
    }

    @Test
    void omittedFieldsKeepTheirValuesAndListsAreOnlyAdded() {
        start();
        ContactList first = emulator.lists().create("first");
        ContactList second = emulator.lists().create("second");
        FieldDefinition pet = emulator.fields().create("pet", FieldType.Text);
        FieldDefinition age = emulator.fields().create("age", FieldType.Number);

        ObjectNode initial = contact("keep@example.com").put("first_name", "Kim").put("city", "Oslo");
        initial.putObject("custom_fields").put(pet.id(), "dog").put(age.id(), 3);
        upsertAndWait(upsertBody(List.of(first.id()), initial));
        JsonNode before = contactByEmail("keep@example.com");

        ObjectNode update = contact("KEEP@example.com").put("last_name", "Lee").put("city", "");
        update.putObject("custom_fields").put(age.id(), 4.5);
        upsertAndWait(upsertBody(List.of(second.id()), update));

        JsonNode after = contactByEmail("keep@example.com");
        assertThat(after.get("id").asText()).isEqualTo(before.get("id").asText());
        assertThat(after.get("first_name").asText()).isEqualTo("Kim");
        assertThat(after.get("last_name").asText()).isEqualTo("Lee");
        assertThat(after.get("city").asText()).isEmpty();
        assertThat(after.at("/custom_fields/pet").asText()).isEqualTo("dog");
        assertThat(after.at("/custom_fields/age").asDouble()).isEqualTo(4.5);
        assertThat(after.get("list_ids")).extracting(JsonNode::asText).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(after.get("created_at").asText()).isEqualTo(before.get("created_at").asText());
        assertThat(after.get("updated_at").asText()).isGreaterThanOrEqualTo(before.get("updated_at").asText());
        assertThat(emulator.contacts().store().countInList(first.id())).isEqualTo(1);
        assertThat(emulator.contacts().store().countInList(second.id())).isEqualTo(1);

        // an upsert without list_ids leaves memberships alone
        upsertAndWait(upsertBody(null, contact("keep@example.com").put("first_name", "Kimmy")));
        assertThat(contactByEmail("keep@example.com").get("list_ids")).hasSize(2);
        sg.assertConforms();
    }

    @Test
    void alternateEmailsAreSearchableAndBelongToOneContact() {
        start();
        ObjectNode c = contact("main@example.com");
        ArrayNode alt = c.putArray("alternate_emails");
        alt.add("Second@Example.com");
        upsertAndWait(upsertBody(null, c));

        SendGridHttp.Response r = sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"second@example.com\"]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/result/second@example.com/contact/email").asText()).isEqualTo("main@example.com");

        JsonNode clash = upsertAndWait(upsertBody(null, contact("second@example.com")));
        assertThat(clash.get("status").asText()).isEqualTo("failed");
        sg.assertConforms();
    }
}
