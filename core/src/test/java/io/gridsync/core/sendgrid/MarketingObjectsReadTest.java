package io.gridsync.core.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.testing.EmulatorFixture;
import io.gridsync.emulator.EmulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The typed reads the mirror uses: segments (listing and one in full), Single Sends over several
 * pages and in full, field definitions with their flags, and whole contacts from an export of all
 * contacts in JSON and CSV files.
 */
class MarketingObjectsReadTest {

    private final EmulatorFixture sg = new EmulatorFixture(new EmulatorConfig().exportRowsPerFile(3));

    @AfterEach
    void stop() {
        sg.close();
    }

    @Test
    void segmentsAreListedAndReadInFull() {
        String list = sg.api.createList("buyers").id();
        JsonNode created = sg.post("/v3/marketing/segments/2.0", "{\"name\":\"big buyers\",\"parent_list_ids\":[\"" + list
                + "\"],\"query_dsl\":\"SELECT contact_id FROM contact_data WHERE first_name = 'Ada'\"}");
        sg.post("/v3/marketing/segments/2.0", "{\"name\":\"all\",\"query_dsl\":\"SELECT contact_id FROM contact_data\"}");

        List<SendGridSegment> all = sg.api.segments();
        assertThat(all).extracting(SendGridSegment::name).containsExactlyInAnyOrder("big buyers", "all");
        SendGridSegment listed = all.stream().filter(s -> s.name().equals("big buyers")).findFirst().orElseThrow();
        assertThat(listed.queryDsl()).isNull(); // only the single segment carries its query
        assertThat(listed.parentListIds()).containsExactly(list);
        assertThat(listed.queryValidation()).isEqualTo("VALID");

        SendGridSegment full = sg.api.segment(created.path("id").asText());
        assertThat(full.queryDsl()).contains("first_name = 'Ada'");
        assertThat(full.createdAt()).isNotNull();
        assertThat(full.maxRefreshes()).isNotNull();
        assertThat(full.contactsSample()).isNotNull();
    }

    @Test
    void singleSendsArePagedAndReadInFull() {
        for (int i = 0; i < 105; i++) {
            sg.post("/v3/marketing/singlesends", "{\"name\":\"send " + i + "\",\"categories\":[\"c" + (i % 3) + "\"],"
                    + "\"send_to\":{\"all\":true},\"email_config\":{\"subject\":\"Hello " + i + "\",\"sender_id\":7,"
                    + "\"html_content\":\"<p>hi</p>\"}}");
        }
        List<SendGridSingleSend> all = sg.api.allSingleSends();
        assertThat(all).hasSize(105);
        assertThat(sg.requests("GET", "/v3/marketing/singlesends")).isEqualTo(2);
        assertThat(all.get(0).emailConfig()).isNull(); // the short form
        assertThat(all.get(0).isAbtest()).isFalse();

        SendGridSingleSend full = sg.api.singleSend(all.get(0).id());
        assertThat(full.sendToAll()).isTrue();
        assertThat(full.sendToListIds()).isEmpty();
        assertThat(full.emailConfig().subject()).startsWith("Hello ");
        assertThat(full.emailConfig().senderId()).isEqualTo(7L);
        assertThat(full.emailConfig().editor()).isEqualTo("code");
        assertThat(full.status()).isEqualTo("draft");
        assertThat(full.categories()).hasSize(1);
    }

    @Test
    void fieldDefinitionsCarryReadOnly() {
        sg.api.createField("plan", "Text");
        List<FieldDefinition> defs = sg.api.allFieldDefinitions();
        FieldDefinition plan = defs.stream().filter(f -> f.name().equals("plan")).findFirst().orElseThrow();
        assertThat(plan.reserved()).isFalse();
        assertThat(plan.fieldType()).isEqualTo("Text");
        assertThat(defs.stream().filter(f -> f.name().equals("created_at")).findFirst().orElseThrow().readOnly()).isTrue();
        assertThat(defs.stream().filter(f -> f.name().equals("first_name")).findFirst().orElseThrow().reserved()).isTrue();
    }

    @Test
    void anExportOfAllContactsStreamsWholeContactsFromJsonAndCsvFiles() {
        String list = sg.api.createList("members").id();
        String field = sg.api.createField("score", "Number").id();
        String contacts = "{\"email\":\"a@x.io\",\"first_name\":\"Ada\",\"alternate_emails\":[\"ada@y.io\"],\"custom_fields\":{\""
                + field + "\":42}},{\"email\":\"b@x.io\",\"city\":\"Oslo, Norway\"},{\"external_id\":\"crm-9\"},{\"email\":\"d@x.io\"}";
        assertThat(sg.api.awaitJob(sg.api.upsertContacts(("{\"list_ids\":[\"" + list + "\"],\"contacts\":[" + contacts + "]}")
                .getBytes()), Duration.ofSeconds(30)).status()).isEqualTo("completed");

        for (String type : List.of("json", "csv")) {
            ExportStatus export = sg.api.awaitExport(sg.api.startExport(List.of(), type), Duration.ofSeconds(30));
            assertThat(export.urls()).hasSize(2);
            List<JsonNode> rows = new ArrayList<>();
            assertThat(sg.api.readExportRecords(export, rows::add)).isEqualTo(4);
            JsonNode ada = rows.stream().filter(r -> "a@x.io".equals(r.path("email").asText())).findFirst().orElseThrow();
            assertThat(ada.path("contact_id").asText()).isNotBlank();
            assertThat(ada.path("first_name").asText()).isEqualTo("Ada");
            assertThat(ada.path("alternate_emails").get(0).asText()).isEqualTo("ada@y.io");
            assertThat(ada.path("custom_fields").path("score").asText()).isEqualTo("42");
            assertThat(ada.path("created_at").asText()).startsWith("20");
            assertThat(rows).anyMatch(r -> "Oslo, Norway".equals(r.path("city").asText()));
            assertThat(rows).anyMatch(r -> "crm-9".equals(r.path("external_id").asText()));
            if (type.equals("json")) {
                assertThat(ada.path("list_ids").get(0).asText()).isEqualTo(list);
                assertThat(ada.path("custom_fields").path("score").isNumber()).isTrue();
            }
        }
    }
}
