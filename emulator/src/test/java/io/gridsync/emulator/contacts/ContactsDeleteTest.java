package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.lists.ContactList;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DELETE /v3/marketing/contacts, DELETE /v3/marketing/lists/{id}/contacts, and what lists learn from the store. */
class ContactsDeleteTest extends ContactsTestSupport {

    @Test
    void deletingByIdsIsAJobThatCountsDeletedAndUnknownIds() {
        start();
        upsertAndWait(upsertBody(null, contact("d1@example.com"), contact("d2@example.com"), contact("d3@example.com")));
        String id1 = contactByEmail("d1@example.com").get("id").asText();
        String id2 = contactByEmail("d2@example.com").get("id").asText();

        SendGridHttp.Response r = sg.delete("/v3/marketing/contacts?ids=" + id1 + ",%20" + id2 + ",no-such-id");
        assertThat(r.status()).isEqualTo(202);
        JsonNode job = awaitJob(r.json().get("job_id").asText());
        assertThat(job.get("job_type").asText()).isEqualTo("delete");
        assertThat(job.get("status").asText()).isEqualTo("errored");
        assertThat(job.at("/results/requested_count").asInt()).isEqualTo(3);
        assertThat(job.at("/results/deleted_count").asInt()).isEqualTo(2);
        assertThat(job.at("/results/errored_count").asInt()).isEqualTo(1);
        String errors = new String(download(job.at("/results/errors_url").asText()).body(), StandardCharsets.UTF_8);
        assertThat(errors.lines().skip(1).toList()).containsExactly("\"2\",\"no-such-id\",,,,,\"contact no-such-id not found\"");

        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isEqualTo(1);
        assertThat(sg.get("/v3/marketing/contacts/" + id1).status()).isEqualTo(404);
        SendGridHttp.Response search = sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"d1@example.com\",\"d3@example.com\"]}");
        assertThat(search.json().at("/result/d1@example.com/error").asText()).isEqualTo("contact not found");
        assertThat(search.json().at("/result/d3@example.com/contact/email").asText()).isEqualTo("d3@example.com");

        // the email is free again for a new contact
        JsonNode again = upsertAndWait(upsertBody(null, contact("d1@example.com")));
        assertThat(again.at("/results/created_count").asInt()).isEqualTo(1);
        assertConformsExceptDeleteJobIdType();
    }

    @Test
    void deleteAllContactsEmptiesTheAccount() {
        start();
        upsertAndWait(upsertBody(null, contact("a1@example.com"), contact("a2@example.com")));
        SendGridHttp.Response r = sg.delete("/v3/marketing/contacts?delete_all_contacts=true");
        assertThat(r.status()).isEqualTo(202);
        JsonNode job = awaitJob(r.json().get("job_id").asText());
        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.at("/results/deleted_count").asInt()).isEqualTo(2);
        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isZero();
        assertConformsExceptDeleteJobIdType();
    }

    @Test
    void deleteNeedsExactlyOneOfIdsAndDeleteAllContacts() {
        start();
        assertThat(sg.delete("/v3/marketing/contacts").status()).isEqualTo(400);
        assertThat(sg.delete("/v3/marketing/contacts?ids=a&delete_all_contacts=true").status()).isEqualTo(400);
        SendGridHttp.Response notTrue = sg.delete("/v3/marketing/contacts?delete_all_contacts=yes");
        assertThat(notTrue.status()).isEqualTo(400);
        assertThat(firstErrorField(notTrue)).isEqualTo("delete_all_contacts");
        assertThat(sg.delete("/v3/marketing/contacts?ids=,,").status()).isEqualTo(400);
        sg.assertConforms();
    }

    @Test
    void deletesArePendingUntilTheImportDelayHasPassed() {
        start(new EmulatorConfig().importDelayMillis(3_600_000));
        emulator.contacts().store().deleteAll();
        SendGridHttp.Response r = sg.delete("/v3/marketing/contacts?delete_all_contacts=true");
        assertThat(sg.get("/v3/marketing/contacts/imports/" + r.json().get("job_id").asText()).json().get("status").asText())
                .isEqualTo("pending");
        assertConformsExceptDeleteJobIdType();
    }

    @Test
    void removingContactsFromAListKeepsTheContacts() {
        start();
        ContactList list = emulator.lists().create("newsletter");
        ContactList other = emulator.lists().create("other");
        upsertAndWait(upsertBody(List.of(list.id(), other.id()), contact("m1@example.com"), contact("m2@example.com"),
                contact("m3@example.com")));
        String id1 = contactByEmail("m1@example.com").get("id").asText();
        String id2 = contactByEmail("m2@example.com").get("id").asText();
        assertThat(emulator.contacts().store().countInList(list.id())).isEqualTo(3);

        SendGridHttp.Response r = sg.delete("/v3/marketing/lists/" + list.id() + "/contacts?contact_ids=" + id1 + "," + id2);
        assertThat(r.status()).isEqualTo(202);
        JsonNode job = awaitJob(r.json().get("job_id").asText());
        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.get("job_type").asText()).isEqualTo("remove_from_list");
        assertThat(job.at("/results/updated_count").asInt()).isEqualTo(2);

        assertThat(emulator.contacts().store().countInList(list.id())).isEqualTo(1);
        assertThat(emulator.contacts().store().countInList(other.id())).isEqualTo(3);
        JsonNode m1 = contactByEmail("m1@example.com");
        assertThat(m1.get("list_ids")).extracting(JsonNode::asText).containsExactly(other.id());
        assertThat(contactByEmail("m3@example.com").get("list_ids")).hasSize(2);
        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isEqualTo(3);
        sg.assertConforms();
    }

    @Test
    void listRemovalChecksTheListAndTheContactIds() {
        start();
        ContactList list = emulator.lists().create("l");
        upsertAndWait(upsertBody(List.of(list.id()), contact("x@example.com")));
        String id = contactByEmail("x@example.com").get("id").asText();

        SendGridHttp.Response unknownList = sg.delete("/v3/marketing/lists/2a3b4c5d-0000-4000-8000-000000000000/contacts?contact_ids=" + id);
        assertThat(unknownList.status()).isEqualTo(404);
        assertThat(unknownList.json().get("message").asText()).contains("not found");

        SendGridHttp.Response missing = sg.delete("/v3/marketing/lists/" + list.id() + "/contacts");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("message").asText()).contains("contact_ids is required");

        SendGridHttp.Response unknownContact = sg.delete("/v3/marketing/lists/" + list.id() + "/contacts?contact_ids=" + id + ",ghost");
        assertThat(unknownContact.status()).isEqualTo(404);
        assertThat(unknownContact.json().get("message").asText()).contains("ghost");
        assertThat(emulator.contacts().store().countInList(list.id())).isEqualTo(1);
        sg.assertConforms();
    }

    @Test
    void aDeletedListLeavesItsContactsOrTakesThemAlong() {
        start();
        ContactList keep = emulator.lists().create("keep");
        ContactList drop = emulator.lists().create("drop");
        upsertAndWait(upsertBody(List.of(keep.id()), contact("k@example.com")));
        upsertAndWait(upsertBody(List.of(drop.id()), contact("d@example.com")));

        ContactStore store = emulator.contacts().store();
        store.listDeleted(keep.id(), false);
        assertThat(store.countInList(keep.id())).isZero();
        assertThat(contactByEmail("k@example.com").get("list_ids")).isEmpty();

        store.listDeleted(drop.id(), true);
        assertThat(store.size()).isEqualTo(1);
        assertThat(sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"d@example.com\"]}").status()).isEqualTo(404);
        sg.assertConforms();
    }
}
