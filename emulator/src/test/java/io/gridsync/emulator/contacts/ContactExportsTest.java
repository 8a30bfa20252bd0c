package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.fields.FieldDefinition;
import io.gridsync.emulator.fields.FieldType;
import io.gridsync.emulator.lists.ContactList;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** POST/GET /v3/marketing/contacts/exports and the gzip files behind the URLs. */
class ContactExportsTest extends ContactsTestSupport {

    private JsonNode awaitExport(String id) {
        for (int i = 0; i < 1000; i++) {
            SendGridHttp.Response r = sg.get("/v3/marketing/contacts/exports/" + id);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            if (!r.json().get("status").asText().equals("pending")) {
                return r.json();
            }
            sleep(10);
        }
        throw new AssertionError("export " + id + " still pending after 1000 polls");
    }

    private String startExport(String body) {
        SendGridHttp.Response r = sg.post("/v3/marketing/contacts/exports", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.json().at("/_metadata/self").asText()).endsWith("/v3/marketing/contacts/exports/" + r.json().get("id").asText());
        return r.json().get("id").asText();
    }

    private static List<String> gunzipLines(HttpResponse<byte[]> file) {
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file.body()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anExportLargerThanOneFileIsSplitAndTheFilesHoldExactlyTheContacts() {
        start(new EmulatorConfig().importDelayMillis(0).exportRowsPerFile(50));
        FieldDefinition plan = emulator.fields().create("plan", FieldType.Text);
        ObjectNode[] contacts = new ObjectNode[120];
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 120; i++) {
            contacts[i] = contact("e" + i + "@example.com").put("first_name", "N\"" + i);
            contacts[i].putObject("custom_fields").put(plan.id(), "p" + i);
            expected.add("e" + i + "@example.com");
        }
        upsertAndWait(upsertBody(null, contacts));

        JsonNode export = awaitExport(startExport("{\"file_type\":\"csv\"}"));
        assertThat(export.get("status").asText()).isEqualTo("ready");
        assertThat(export.get("contact_count").asInt()).isEqualTo(120);
        assertThat(export.get("expires_at").asText()).isGreaterThan(export.get("completed_at").asText());
        List<String> urls = new ArrayList<>();
        export.get("urls").forEach(u -> urls.add(u.asText()));
        assertThat(urls).hasSize(3).allSatisfy(u -> assertThat(u).startsWith(emulator.baseUrl() + "/_emulator/exports/").endsWith(".csv.gz"));

        Set<String> seen = new HashSet<>();
        List<Integer> rowsPerFile = new ArrayList<>();
        for (String url : urls) {
            List<String> lines = gunzipLines(download(url));
            assertThat(lines.get(0)).startsWith("\"EMAIL\",\"FIRST_NAME\",\"LAST_NAME\",\"ADDRESS_LINE_1\"")
                    .contains("\"CREATED_AT\",\"UPDATED_AT\",\"CONTACT_ID\"").endsWith(",\"plan\"");
            rowsPerFile.add(lines.size() - 1);
            for (String line : lines.subList(1, lines.size())) {
                String email = line.substring(1, line.indexOf('"', 1));
                assertThat(seen.add(email)).as("each contact once: " + email).isTrue();
                String n = email.substring(1, email.indexOf('@'));
                assertThat(line).contains("\"N\"\"" + n + "\"").endsWith(",\"p" + n + "\"");
            }
        }
        assertThat(rowsPerFile).containsExactly(50, 50, 20);
        assertThat(seen).isEqualTo(expected);
        sg.assertConforms();
    }

    @Test
    void aJsonExportOfOneListHasOneObjectPerLine() {
        start();
        ContactList vip = emulator.lists().create("vip");
        FieldDefinition score = emulator.fields().create("score", FieldType.Number);
        ObjectNode member = contact("vip@example.com");
        member.putObject("custom_fields").put(score.id(), 9);
        upsertAndWait(upsertBody(List.of(vip.id()), member));
        upsertAndWait(upsertBody(null, contact("plain@example.com")));

        JsonNode export = awaitExport(startExport("{\"list_ids\":[\"" + vip.id() + "\"],\"file_type\":\"json\",\"max_file_size\":100}"));
        assertThat(export.get("urls")).hasSize(1);
        List<String> lines = gunzipLines(download(export.at("/urls/0").asText()));
        assertThat(lines).hasSize(1);
        JsonNode row = readJson(lines.get(0));
        assertThat(row.get("email").asText()).isEqualTo("vip@example.com");
        assertThat(row.get("contact_id").asText()).hasSize(36);
        assertThat(row.at("/custom_fields/score").asInt()).isEqualTo(9);
        assertThat(row.get("list_ids")).extracting(JsonNode::asText).containsExactly(vip.id());

        SendGridHttp.Response all = sg.get("/v3/marketing/contacts/exports");
        assertThat(all.status()).isEqualTo(200);
        JsonNode item = all.json().at("/result/0");
        assertThat(item.get("export_type").asText()).isEqualTo("list_export");
        assertThat(item.at("/lists/0/ID").asText()).isEqualTo(vip.id());
        assertThat(item.at("/lists/0/Name").asText()).isEqualTo("vip");
        sg.assertConforms();
    }

    @Test
    void anExportIsASnapshotAndEmptyAccountsGiveAHeaderOnlyFile() {
        start();
        JsonNode export = awaitExport(startExport(""));
        assertThat(export.get("contact_count").asInt()).isZero();
        String url = export.at("/urls/0").asText();
        upsertAndWait(upsertBody(null, contact("after@example.com")));
        List<String> lines = gunzipLines(download(url));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("\"EMAIL\"");
        sg.assertConforms();
    }

    @Test
    void exportsStayPendingUntilTheDelayAndBadRequestsAre400() {
        start(new EmulatorConfig().importDelayMillis(3_600_000));
        String id = startExport("{}");
        SendGridHttp.Response status = sg.get("/v3/marketing/contacts/exports/" + id);
        assertThat(status.json().get("status").asText()).isEqualTo("pending");
        assertThat(status.json().has("urls")).isFalse();
        assertThat(download(emulator.baseUrl() + "/_emulator/exports/" + id + "/1.csv.gz").statusCode()).isEqualTo(404);

        SendGridHttp.Response badType = sg.post("/v3/marketing/contacts/exports", "{\"file_type\":\"xml\"}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(firstErrorField(badType)).isEqualTo("file_type");
        SendGridHttp.Response unknownList = sg.post("/v3/marketing/contacts/exports", "{\"list_ids\":[\"5d6e7f80-0000-4000-8000-000000000000\"]}");
        assertThat(unknownList.status()).isEqualTo(400);
        assertThat(firstErrorField(unknownList)).isEqualTo("list_ids");
        SendGridHttp.Response segment = sg.post("/v3/marketing/contacts/exports", "{\"segment_ids\":[\"seg-1\"]}");
        assertThat(segment.status()).isEqualTo(400);
        assertThat(allMessages(segment)).contains("segment seg-1 does not exist");
        SendGridHttp.Response size = sg.post("/v3/marketing/contacts/exports", "{\"max_file_size\":0}");
        assertThat(size.status()).isEqualTo(400);
        assertThat(sg.post("/v3/marketing/contacts/exports", "{\"file_type\":").status()).isEqualTo(400);
        assertThat(sg.get("/v3/marketing/contacts/exports/nope").status()).isEqualTo(404);
        sg.assertConforms();
    }

    private static JsonNode readJson(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
