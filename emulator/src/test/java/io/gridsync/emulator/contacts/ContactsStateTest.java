package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.fields.FieldDefinition;
import io.gridsync.emulator.fields.FieldType;
import io.gridsync.emulator.lists.ContactList;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Contacts and finished jobs survive a restart with a state file; a reset forgets them. */
class ContactsStateTest extends ContactsTestSupport {

    @Test
    void aJobStillPendingAtShutdownIsAppliedAndSavedWithTheContacts(@TempDir Path dir) {
        Path file = dir.resolve("state.json");
        start(new EmulatorConfig().importDelayMillis(3_600_000).stateFile(file));
        ContactList list = emulator.lists().create("l");
        FieldDefinition age = emulator.fields().create("age", FieldType.Number);
        ObjectNode c = contact("Saved@Example.com").put("external_id", "crm-9").put("first_name", "Sam");
        c.putArray("alternate_emails").add("alt@example.com");
        c.putObject("custom_fields").put(age.id(), 41);
        String jobId = upsert(upsertBody(List.of(list.id()), c));
        assertThat(sg.get("/v3/marketing/contacts/imports/" + jobId).json().get("status").asText()).isEqualTo("pending");
        emulator.close();

        start(new EmulatorConfig().importDelayMillis(0).stateFile(file));
        JsonNode job = awaitJob(jobId);
        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.at("/results/created_count").asInt()).isEqualTo(1);
        JsonNode saved = contactByEmail("saved@example.com");
        assertThat(saved.get("external_id").asText()).isEqualTo("crm-9");
        assertThat(saved.get("first_name").asText()).isEqualTo("Sam");
        assertThat(saved.get("alternate_emails")).extracting(JsonNode::asText).containsExactly("alt@example.com");
        assertThat(saved.get("list_ids")).extracting(JsonNode::asText).containsExactly(list.id());
        assertThat(emulator.contacts().store().findBy(ContactField.EXTERNAL_ID, "crm-9").customField(age.id())).isEqualTo(41L);

        // the indexes are rebuilt: matching by another identifier still finds the contact
        JsonNode update = upsertAndWait(upsertBody(null, contact("saved@example.com").put("external_id", "crm-9").put("last_name", "Stone")));
        assertThat(update.at("/results/updated_count").asInt()).isEqualTo(1);
        sg.assertConforms();
    }

    @Test
    void aResetForgetsContactsJobsAndExports() {
        start();
        String jobId = upsert(upsertBody(null, contact("gone@example.com")));
        awaitJob(jobId);
        SendGridHttp admin = new SendGridHttp(emulator.baseUrl(), null);
        assertThat(admin.post("/_emulator/reset", "").status()).isEqualTo(204);

        assertThat(sg.get("/v3/marketing/contacts/count").json().get("contact_count").asInt()).isZero();
        assertThat(sg.get("/v3/marketing/contacts/imports/" + jobId).status()).isEqualTo(404);
        assertThat(sg.get("/v3/marketing/contacts/exports").json().get("result")).isEmpty();
        sg.assertConforms();
    }
}
